// The SMS/MMS channel over Twilio Programmable Messaging. In simulator mode the same code talks
// to the Twilio simulator running inside the app instead of Twilio's API host.
import { z } from 'zod';
import { PermanentJobError } from '../../infra/queue/job.js';
import type { AdapterDeps, ChannelAdapter, ChannelRecord } from '../adapter.js';
import { simulatedSmsConfig, smsSimulator } from '../../simulators/sms/sms-simulator.js';
import {
  smsConfigOf,
  smsConfigSchema,
  smsLimitsOf,
  smsSecretFields,
  TWILIO_API_BASE_URL,
} from './sms-config.js';
import { checkMediaUrl } from './sms-inbound.js';
import { sendSms, statusCallbackUrl } from './sms-send.js';
import { handleSmsWebhook } from './sms-webhook.js';
import { basicAuth } from './twilio-rest.js';
import { defaultMediaDownload, openTwilioMedia, type MediaDownloadOptions } from './twilio-media-download.js';

export interface SmsAdapterOptions {
  /** Deadlines and redirect limit for inbound media downloads. */
  mediaDownload?: Partial<MediaDownloadOptions>;
}

const mediaSourceSchema = z.object({ url: z.string().min(1), index: z.number().int().optional() });

/** Twilio's API host for a channel: the configured one, or the in-app simulator's. */
export function smsApiBaseUrl(channel: ChannelRecord, deps: AdapterDeps): Promise<string> {
  if (channel.simulator) return deps.simulatorBaseUrl(channel);
  return Promise.resolve(smsConfigOf(channel).apiBaseUrl ?? TWILIO_API_BASE_URL);
}

export const smsWebhookUrl = (publicUrl: string, channelId: string): string =>
  `${publicUrl}/webhooks/sms/${channelId}`;

export function createSmsAdapter(options: SmsAdapterOptions = {}): ChannelAdapter {
  const download: MediaDownloadOptions = { ...defaultMediaDownload, ...options.mediaDownload };
  return {
    kind: 'sms',
    configSchema: smsConfigSchema as unknown as z.ZodType<Record<string, unknown>>,
    secretFields: smsSecretFields,
    limits: smsLimitsOf,
    webhookUrl: smsWebhookUrl,
    webhookUrls: (publicUrl, channelId) => [
      { key: 'messages', label: 'A message comes in', url: smsWebhookUrl(publicUrl, channelId) },
      { key: 'status', label: 'Status callback', url: statusCallbackUrl(publicUrl, channelId) },
    ],
    simulator: smsSimulator,
    simulatorConfig: simulatedSmsConfig,
    handleWebhook: (request, channel, deps) =>
      handleSmsWebhook(request, channel, deps, () => smsApiBaseUrl(channel, deps)),
    async fetchMedia(source, channel, deps) {
      const parsed = mediaSourceSchema.safeParse(source);
      if (!parsed.success) throw new PermanentJobError('Twilio gave no link to this item.');
      const config = smsConfigOf(channel);
      const refusal = checkMediaUrl(parsed.data.url, await smsApiBaseUrl(channel, deps), config.accountSid);
      if (refusal) {
        deps.log.warn({ channelId: channel.id, reason: refusal }, 'inbound media not fetched');
        throw new PermanentJobError(refusal);
      }
      const log = deps.log.child({ channelId: channel.id, mediaIndex: parsed.data.index });
      try {
        const media = await openTwilioMedia(parsed.data.url, basicAuth(config), download);
        media.stream.once('error', (error: Error) =>
          log.warn({ reason: error.message }, 'inbound media download broke off'),
        );
        return media;
      } catch (error) {
        log.warn(
          { reason: error instanceof Error ? error.message : String(error) },
          'inbound media download failed',
        );
        throw error;
      }
    },
    send: (message, channel, deps, progress) =>
      sendSms(message, channel, deps, progress, () => smsApiBaseUrl(channel, deps)),
  };
}
