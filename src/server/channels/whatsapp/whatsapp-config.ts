// A WhatsApp channel's configuration: the Cloud API phone number, its token, the app secret
// that signs webhooks and the verify token of the webhook registration.
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { AdapterDeps, ChannelRecord } from '../adapter.js';
import { createGraphClient, type GraphClient } from '../meta/graph-client.js';

export const whatsappConfigSchema = z.object({
  phoneNumberId: z
    .string()
    .trim()
    .regex(/^\d{5,20}$/, 'must be the numeric phone number id'),
  accessToken: z.string().trim().min(10),
  appSecret: z.string().trim().min(8),
  verifyToken: z.string().trim().min(8),
  graphBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  graphVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v21.0')
    .optional(),
});

export type WhatsAppConfig = z.infer<typeof whatsappConfigSchema>;

export const whatsappSecretFields = ['accessToken', 'appSecret', 'verifyToken'] as const;

/** The stored configuration, checked again (it may predate a schema change). */
export function whatsappConfigOf(channel: ChannelRecord): WhatsAppConfig {
  const parsed = whatsappConfigSchema.safeParse(channel.config);
  if (!parsed.success) {
    throw new AppError(
      'channel_unavailable',
      `The WhatsApp channel's configuration is incomplete (${parsed.error.issues[0]?.path.join('.') ?? 'config'}).`,
    );
  }
  return parsed.data;
}

/** A Graph API client for the channel: the configured host, or the in-app simulator's. */
export async function whatsappClient(
  channel: ChannelRecord,
  config: WhatsAppConfig,
  deps: Pick<AdapterDeps, 'simulatorBaseUrl'>,
): Promise<GraphClient> {
  return createGraphClient({
    baseUrl: channel.simulator ? await deps.simulatorBaseUrl(channel) : config.graphBaseUrl,
    version: config.graphVersion,
    accessToken: config.accessToken,
  });
}
