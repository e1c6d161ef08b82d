// A parsed e-mail → the inbound message the core stores: the new words as text, sanitized
// HTML with the quoted history folded apart, attachments in order (inline images marked and
// placed), and the facts the agent app shows (`meta.email`, described in docs/EMAIL.md).
import { convert } from 'html-to-text';
import type { InboundAttachment, InboundMessageEvent } from '../adapter.js';
import { formatBytes } from '../../infra/blobs/metered-stream.js';
import { emailLimits } from './email-limits.js';
import { headerText, type Address, type ParsedEmail, type ParsedPart } from './parse-email.js';
import { sanitizeEmailHtml, textToHtml, type ImageTarget } from './sanitize-email-html.js';
import { splitHtmlQuote, splitTextQuote } from './split-quote.js';
import { TNEF_TYPES } from './tnef.js';
import type { ThreadedBy } from './threading.js';

export type Automated = 'auto-submitted' | 'bulk' | 'own-address' | 'bounce';

export type Ingress = 'imap' | 'smtp' | 'webhook';

/** What `message.meta.email` holds for an inbound e-mail. */
export interface EmailMeta {
  messageId: string;
  inReplyTo: string[];
  references: string[];
  from: Address | null;
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  subject: string;
  date: number | null;
  /** Sanitized HTML of the new part (see sanitize-email-html.ts for the image attributes). */
  html: string | null;
  /** Sanitized HTML of the quoted history, folded in the thread view. */
  quotedHtml: string | null;
  quotedText: string | null;
  remoteImagesBlocked: number;
  /** Positions of the attachments shown inside `html`/`quotedHtml`. */
  inline: number[];
  /** Set when the mail was sent by a machine or by us: nothing may answer it automatically. */
  automated: Automated | null;
  threadedBy: ThreadedBy;
  via: Ingress;
  notes: string[];
  /** Set when the message was over the size cap and only its headers were kept. */
  tooLarge?: { size: number | null; limit: number };
  /** Position of `message.html` when the HTML was too long to keep in the message itself. */
  htmlAttachment?: number;
}

export function automatedReason(parsed: ParsedEmail, ourAddress: string): Automated | null {
  const autoSubmitted = headerText(parsed.headers, 'auto-submitted').trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto-submitted';
  if (parsed.headers.has('x-autoreply') || parsed.headers.has('x-autorespond')) return 'auto-submitted';
  const precedence = headerText(parsed.headers, 'precedence').trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return 'bulk';
  const sender = parsed.from?.address ?? '';
  if (sender === ourAddress.toLowerCase()) return 'own-address';
  if (/^(mailer-daemon|postmaster)@/i.test(sender)) return 'bounce';
  const type = parsed.headers.get('content-type');
  if (typeof type === 'object' && type !== null && 'value' in type && type.value === 'multipart/report')
    return 'bounce';
  return null;
}

/** True when automation (acknowledgements, auto-replies) may answer this message. */
export function mayAutoReply(meta: Record<string, unknown>): boolean {
  const email = meta.email as Partial<EmailMeta> | undefined;
  return !email?.automated;
}

function attachmentOf(part: ParsedPart, partCap: number, inline: boolean): InboundAttachment {
  const base = {
    ...(part.name ? { name: part.name } : {}),
    declaredType: part.contentType,
    meta: {
      inline,
      disposition: part.disposition,
      ...(part.contentId ? { contentId: part.contentId } : {}),
      ...(TNEF_TYPES.has(part.contentType) ? { tnef: true } : {}),
    },
  };
  if (part.tooLarge) return { ...base, declaredSize: part.size, source: { tooLarge: true } };
  if (!part.blobKey)
    return { ...base, declaredSize: 0, source: {}, unavailableReason: 'The file is empty (0 bytes).' };
  return { ...base, declaredSize: Math.min(part.size, partCap), source: { blob: part.blobKey } };
}

const normalizeReference = (value: string) =>
  value.trim().replace(/^cid:/i, '').replace(/^<|>$/g, '').toLowerCase();

export interface BuildInput {
  parsed: ParsedEmail;
  /** Provider id: the Message-ID, or a digest of the raw message when it has none. */
  providerMessageId: string;
  ourAddress: string;
  partCap: number;
  via: Ingress;
  threadedBy: ThreadedBy;
  /** Extra attachments (e.g. the HTML kept as a file), appended after the parts. */
  extra?: InboundAttachment[];
}

export function buildEmailEvent(input: BuildInput): { event: InboundMessageEvent; meta: EmailMeta } {
  const { parsed } = input;
  const notes: string[] = [];
  const byReference = new Map<string, ImageTarget>();
  parsed.parts.forEach((part, position) => {
    const target = { position, name: part.name ?? `image-${position + 1}` };
    if (!part.contentType.startsWith('image/')) return;
    if (part.contentId) byReference.set(normalizeReference(part.contentId), target);
    if (part.contentLocation) byReference.set(normalizeReference(part.contentLocation), target);
    if (part.name && !byReference.has(part.name.toLowerCase()))
      byReference.set(part.name.toLowerCase(), target);
  });
  const resolve = (src: string) =>
    /^cid:/i.test(src) || !/^[a-z][a-z0-9+.-]*:/i.test(src)
      ? byReference.get(normalizeReference(src))
      : undefined;

  // A forward's quoted part is what the customer wants us to read: it stays in view.
  const forward = /^\s*(fwd?|fw|wg|tr|rv|enc|doorst)\s*:/i.test(parsed.subject);
  let html: string | null = null;
  let quotedHtml: string | null = null;
  let remoteImagesBlocked = 0;
  const inline = new Set<number>();
  if (parsed.html) {
    const clean = sanitizeEmailHtml(parsed.html, resolve);
    remoteImagesBlocked = clean.remoteImagesBlocked;
    for (const position of clean.shownInline) inline.add(position);
    const split = forward ? { body: clean.html, quoted: null } : splitHtmlQuote(clean.html);
    html = split.body;
    quotedHtml = split.quoted;
  }
  // HTML-only mail (Outlook's related parts) gets its text from the HTML halves.
  const textSplit =
    !parsed.text.trim() && html !== null
      ? { body: htmlText(html), quoted: quotedHtml ? htmlText(quotedHtml) : null }
      : forward
        ? { body: parsed.text, quoted: null }
        : splitTextQuote(parsed.text.replace(/\r\n/g, '\n'));
  // Inline images no HTML points at (Apple Mail's parts under multipart/mixed, Outlook's
  // images without Content-ID) are shown after the text, in the order they came.
  const loose = parsed.parts
    .map((part, position) => ({ part, position }))
    .filter(
      ({ part, position }) =>
        part.disposition === 'inline' &&
        part.contentType.startsWith('image/') &&
        !inline.has(position) &&
        part.blobKey,
    );
  if (loose.length) {
    html ??= textToHtml(textSplit.body);
    html += loose
      .map(
        ({ part, position }) =>
          `\n<p><img data-attachment="${position}" alt="${escapeAttribute(part.name ?? 'image')}"></p>`,
      )
      .join('');
    for (const { position } of loose) inline.add(position);
  }

  const attachments = parsed.parts.map((part, position) =>
    attachmentOf(part, input.partCap, inline.has(position)),
  );
  const opened = parsed.parts.filter((part) => part.fromTnef).length;
  if (opened > 0) {
    notes.push(
      `${opened === 1 ? '1 file was' : `${opened} files were`} taken out of Outlook's winmail.dat (TNEF).`,
    );
  }
  if (parsed.parts.some((part) => TNEF_TYPES.has(part.contentType))) {
    notes.push(
      opened > 0
        ? 'winmail.dat also holds items that are not plain files (such as an attached e-mail), and is kept as a file too.'
        : 'winmail.dat is an Outlook (TNEF) container that could not be opened, and is kept as a file. Ask the customer to send again with Outlook set to HTML or plain-text format to see what it holds.',
    );
  }
  if (parsed.skippedParts > 0) {
    const original = (input.extra ?? []).some((attachment) => attachment.meta?.original === true);
    notes.push(
      `${parsed.skippedParts} more attachment${parsed.skippedParts === 1 ? ' was' : 's were'} not imported: a message keeps at most ${emailLimits.maxParts}.${original ? ' The original message, with every part, is attached as message.eml.' : ''}`,
    );
  }
  const tooLargeParts = parsed.parts.filter((part) => part.tooLarge).length;
  if (tooLargeParts)
    notes.push(
      `${tooLargeParts} attachment(s) exceed the ${formatBytes(input.partCap)} limit for incoming files.`,
    );

  let text = (textSplit.body.trim() ? textSplit.body : parsed.text).replace(/\s+$/, '').replace(/^\s*\n/, '');
  if (text.length > emailLimits.maxStoredTextChars) {
    text = `${text.slice(0, emailLimits.maxStoredTextChars)}…`;
    notes.push('The text was shortened; the full message is in its HTML view.');
  }
  const automated = automatedReason(parsed, input.ourAddress);
  const sender = parsed.from;
  const meta: EmailMeta = {
    messageId: input.providerMessageId,
    inReplyTo: parsed.inReplyTo,
    references: parsed.references,
    from: sender,
    to: parsed.to,
    cc: parsed.cc,
    replyTo: parsed.replyTo,
    subject: parsed.subject,
    date: parsed.date,
    html,
    quotedHtml,
    quotedText: textSplit.quoted,
    remoteImagesBlocked,
    inline: [...inline].sort((a, b) => a - b),
    automated,
    threadedBy: input.threadedBy,
    via: input.via,
    notes,
  };
  const extra = input.extra ?? [];
  const event: InboundMessageEvent = {
    type: 'message',
    providerMessageId: input.providerMessageId,
    from: {
      externalId: sender?.address ?? 'unknown-sender@invalid',
      ...(sender?.name ? { name: sender.name } : {}),
      ...(sender ? { email: sender.address } : {}),
    },
    text,
    subject: parsed.subject || '(no subject)',
    attachments: [...attachments, ...extra],
    meta: { email: meta },
  };
  return { event, meta };
}

function htmlText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
    ],
  }).trim();
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
