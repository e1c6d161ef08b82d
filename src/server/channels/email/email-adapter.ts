// The e-mail channel. Mail arrives through long-running workers (IMAP, our SMTP listener) and
// a raw-MIME webhook of our own (see email-routes.ts), all ending in `ingestRawEmail`; this
// adapter is what the core calls back: the staged parts for the media job, and sending.
import { PermanentJobError } from '../../infra/queue/job.js';
import type { ChannelAdapter, ChannelRecord } from '../adapter.js';
import { emailConfigSchema, emailSecretFields, type EmailConfig } from './email-config.js';
import { sendEmail } from './send-email.js';
import { smtpTargetOf } from './simulator-link.js';

/** The channel with its configuration parsed (it was validated when it was saved). */
export function emailChannel(channel: ChannelRecord): ChannelRecord<EmailConfig> {
  return { ...channel, config: emailConfigSchema.parse(channel.config) };
}

export const emailAdapter: ChannelAdapter = {
  kind: 'email',
  configSchema: emailConfigSchema,
  secretFields: emailSecretFields,
  webhookUrl: (publicUrl, channelId) => `${publicUrl}/webhooks/email/${channelId}`,

  async fetchMedia(source, _channel, deps) {
    const key = typeof source.blob === 'string' ? source.blob : null;
    if (!key) throw new PermanentJobError('This part of the e-mail was not kept.');
    const stat = await deps.blobs.stat(key);
    if (!stat) throw new PermanentJobError('This part of the e-mail was lost before it could be stored.');
    return { stream: await deps.blobs.read(key), declaredSize: stat.size };
  },

  async send(message, channel, deps, progress) {
    const email = emailChannel(channel);
    return sendEmail(message, email, deps, progress, smtpTargetOf(email));
  },
};
