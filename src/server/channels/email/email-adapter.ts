// The e-mail channel. Mail arrives through long-running workers (IMAP, our SMTP listener) and
// a raw-MIME webhook of our own (see email-routes.ts), all ending in `ingestRawEmail`; this
// adapter is what the core calls back: the staged parts for the media job, and sending.
import { PermanentJobError } from '../../infra/queue/job.js';
import type { ChannelAdapter, ChannelRecord } from '../adapter.js';
import { emailConfigSchema, emailLimitsOf, emailSecretFields, type EmailConfig } from './email-config.js';
import { emailSimulator } from '../../simulators/email/email-simulator.js';
import type { AdapterDeps } from '../adapter.js';
import { maxMessageBytes } from './email-limits.js';
import { sendEmail, type SmtpTarget } from './send-email.js';

/** The channel with its configuration parsed (it was validated when it was saved). */
export function emailChannel(channel: ChannelRecord): ChannelRecord<EmailConfig> {
  return { ...channel, config: emailConfigSchema.parse(channel.config) };
}

/** The channel's relay, or for a channel in simulator mode the in-app customers' mail server. */
async function smtpTargetOf(channel: ChannelRecord<EmailConfig>, deps: AdapterDeps): Promise<SmtpTarget> {
  if (!channel.simulator) return channel.config.smtp;
  const base = new URL(await deps.simulatorBaseUrl(channel));
  return { host: base.hostname, port: Number(base.port), secure: false };
}

export const emailAdapter: ChannelAdapter = {
  kind: 'email',
  simulator: emailSimulator,
  configSchema: emailConfigSchema,
  secretFields: emailSecretFields,
  limits: emailLimitsOf,
  webhookUrl: (publicUrl, channelId) => `${publicUrl}/webhooks/email/${channelId}`,

  // The original of a message (kept beside its parts, or instead of them) passed the door's
  // cap for whole messages already; a part is held to the media cap.
  mediaCap: (source, config) =>
    source.original === true ? maxMessageBytes(config.maxInboundMediaBytes) : config.maxInboundMediaBytes,

  async fetchMedia(source, _channel, deps) {
    const key = typeof source.blob === 'string' ? source.blob : null;
    if (!key) throw new PermanentJobError('This part of the e-mail was not kept.');
    const stat = await deps.blobs.stat(key);
    if (!stat) throw new PermanentJobError('This part of the e-mail was lost before it could be stored.');
    return { stream: await deps.blobs.read(key), declaredSize: stat.size };
  },

  async send(message, channel, deps, progress) {
    const email = emailChannel(channel);
    return sendEmail(message, email, deps, progress, await smtpTargetOf(email, deps));
  },
};
