// An e-mail channel's configuration: the address it answers from, the SMTP relay it sends
// through, and how mail reaches it (an IMAP mailbox, our own SMTP listener, a raw-MIME webhook).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ChannelLimits } from '../../../shared/api-schemas.js';

const host = z.string().trim().min(1).max(255);
const port = z.number().int().min(1).max(65535);

export const emailConfigSchema = z.object({
  address: z.email().transform((value) => value.toLowerCase()),
  /** The display name on outgoing mail (defaults to the channel's name). */
  fromName: z.string().trim().max(120).optional(),
  smtp: z.object({
    host,
    port,
    secure: z.boolean().default(false),
    user: z.string().max(320).optional(),
    pass: z.string().max(1024).optional(),
  }),
  imap: z
    .object({
      host,
      port,
      secure: z.boolean().default(true),
      user: z.string().min(1).max(320),
      pass: z.string().min(1).max(1024),
      mailbox: z.string().min(1).max(255).default('INBOX'),
    })
    .optional(),
  inbound: z
    .object({
      smtpListen: z.number().int().min(0).max(65535).optional(),
      webhookSecret: z.string().min(16).max(256).optional(),
    })
    .optional(),
  /**
   * Sent once to the customer when their mail opens a new ticket ("we got your request").
   * `{number}` becomes the ticket's number and `{name}` the customer's name. Unset: no reply.
   */
  acknowledgement: z.string().trim().min(1).max(2000).optional(),
  /** Files per outgoing message, before encoding; what does not fit is sent as a link. */
  attachmentBudgetMb: z.number().positive().max(100).optional(),
  /** Keys the reply tokens in our addresses (`support+<token>@…`); generated when the channel is made. */
  replyTokenKey: z
    .string()
    .min(32)
    .default(() => randomBytes(32).toString('base64url')),
});

export type EmailConfig = z.infer<typeof emailConfigSchema>;

export const emailSecretFields = [
  'smtp.pass',
  'imap.pass',
  'inbound.webhookSecret',
  'replyTokenKey',
] as const;

const limitFields = z.object({ attachmentBudgetMb: emailConfigSchema.shape.attachmentBudgetMb });

/** What the composer may know of the channel's configuration: the attachment budget in bytes. */
export function emailLimitsOf(config: Record<string, unknown>): ChannelLimits {
  const parsed = limitFields.safeParse(config);
  const mb = parsed.success ? parsed.data.attachmentBudgetMb : undefined;
  return mb ? { attachmentBudgetBytes: Math.max(1, Math.floor(mb * 1024 * 1024)) } : {};
}
