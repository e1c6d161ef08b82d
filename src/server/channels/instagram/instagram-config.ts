// An Instagram channel's configuration: the professional account that receives the messages,
// its token, the app secret that signs webhooks, the verify token of the webhook registration,
// and whether agents may send with the HUMAN_AGENT tag after the 24-hour window.
import { z } from 'zod';
import type { ChannelLimits } from '../../../shared/api-schemas.js';
import { AppError } from '../../errors.js';
import type { AdapterDeps, ChannelRecord } from '../adapter.js';
import { createGraphClient, type GraphClient } from '../meta/graph-client.js';

export const instagramConfigSchema = z.object({
  accountId: z
    .string()
    .trim()
    .regex(/^\d{5,25}$/, 'must be the numeric Instagram account id'),
  accessToken: z.string().trim().min(10),
  appSecret: z.string().trim().min(8),
  verifyToken: z.string().trim().min(8),
  graphBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  graphVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v21.0')
    .optional(),
  /** The app has the Human Agent permission: replies may go tagged HUMAN_AGENT for 7 days. */
  humanAgentTag: z.boolean().optional(),
});

export type InstagramConfig = z.infer<typeof instagramConfigSchema>;

/** What the composer may know of the channel's configuration: whether HUMAN_AGENT replies are allowed. */
export const instagramLimitsOf = (config: Record<string, unknown>): ChannelLimits => ({
  humanAgentTag: config.humanAgentTag === true,
});

export const instagramSecretFields = ['accessToken', 'appSecret', 'verifyToken'] as const;

/** The stored configuration, checked again (it may predate a schema change). */
export function instagramConfigOf(channel: ChannelRecord): InstagramConfig {
  const parsed = instagramConfigSchema.safeParse(channel.config);
  if (!parsed.success) {
    throw new AppError(
      'channel_unavailable',
      `The Instagram channel's configuration is incomplete (${parsed.error.issues[0]?.path.join('.') ?? 'config'}).`,
    );
  }
  return parsed.data;
}

/** A Graph API client for the channel: the configured host, or the in-app simulator's. */
export async function instagramClient(
  channel: ChannelRecord,
  config: InstagramConfig,
  deps: Pick<AdapterDeps, 'simulatorBaseUrl'>,
): Promise<GraphClient> {
  return createGraphClient({
    baseUrl: channel.simulator ? await deps.simulatorBaseUrl(channel) : config.graphBaseUrl,
    version: config.graphVersion,
    accessToken: config.accessToken,
  });
}
