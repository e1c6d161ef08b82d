// Every number the e-mail channel works with, in one place. Outbound media limits (the 18 MB
// budget of files per message) live in the shared channel rules, beside the other channels'.

const KB = 1024;
const MB = 1024 * KB;

export const emailLimits = {
  /** Attachments kept from one message; the rest are counted in a note. */
  maxParts: 100,
  /** MIME nodes one message may have at all; past this it is kept as an unreadable original. */
  maxMimeNodes: 20_000,
  /** Message-IDs kept from References (the most recent ones). */
  maxReferences: 50,
  /** HTML longer than this (decoded characters) is not converted to text. */
  maxHtmlChars: 5_000_000,
  /** Sanitized HTML kept in the message itself; longer bodies are kept as an attachment. */
  maxStoredHtmlChars: 512 * KB,
  /** Plain text kept in the message itself; the rest stays in the HTML or the attachment. */
  maxStoredTextChars: 256 * KB,
  /** Images up to this size go inline (`cid:`) in outgoing HTML; larger ones are attached. */
  inlineImageMaxBytes: 2 * MB,
  /** Header bytes kept from a message that is too large to import. */
  headerBytes: 64 * KB,
  /** How often a mailbox is checked when the server offers no IDLE (and as a safety net). */
  imapPollMs: 60_000,
  /** Quiet time after which the connection starts IDLE (imapflow waits 15 s by default). */
  imapIdleAfterMs: 1_000,
  /** Reconnection delays after a failure, growing to the last one. */
  imapBackoffMs: [1_000, 5_000, 15_000, 60_000, 300_000] as readonly number[],
  /** How often the set of e-mail channels is compared with the running workers. */
  reconcileMs: 15_000,
  /** Recipients accepted in one SMTP transaction by our listener. */
  smtpMaxRecipients: 50,
} as const;

/**
 * The largest raw message accepted: one file at the inbound media cap, base64-encoded
 * (a third larger), plus room for the text around it.
 */
export function maxMessageBytes(maxInboundMediaBytes: number): number {
  return Math.ceil((maxInboundMediaBytes * 4) / 3) + 2 * MB;
}
