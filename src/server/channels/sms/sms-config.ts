// The SMS channel's configuration: a Twilio account, the sender (a number or a Messaging
// Service), where Twilio's API lives (tests point it at the fake), the byte budget for each
// image of an MMS, and what happens to media for numbers outside the US and Canada.
import { z } from 'zod';
import type { ChannelLimits } from '../../../shared/api-schemas.js';
import type { ChannelRecord } from '../adapter.js';
import { AppError } from '../../errors.js';

export const TWILIO_API_BASE_URL = 'https://api.twilio.com';
export const DEFAULT_MMS_IMAGE_KB = 600;

const httpUrl = z
  .url({ protocol: /^https?$/ })
  .transform((value) => value.replace(/\/+$/, ''))
  .refine((value) => !new URL(value).username && !new URL(value).password, 'must not carry credentials');

export const smsConfigSchema = z
  .strictObject({
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be "AC" followed by 32 hex digits'),
    authToken: z.string().min(8, 'is too short').max(200),
    from: z
      .string()
      .trim()
      .regex(
        /^(\+[1-9]\d{6,14}|\d{5,6}|[A-Za-z0-9 ]{1,11})$/,
        'must be an E.164 number, a short code or a sender id',
      )
      .optional(),
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'must be "MG" followed by 32 hex digits')
      .optional(),
    apiBaseUrl: httpUrl.optional(),
    /** Byte budget of each image in an MMS, in KB (carriers deliver about 600 KB safely). */
    mmsImageKb: z.number().int().min(50).max(5000).optional(),
    /** Media for numbers outside the US and Canada: a secure link in the text, or MMS anyway. */
    outsideNorthAmerica: z.enum(['link', 'send']).optional(),
  })
  .refine((config) => Boolean(config.from || config.messagingServiceSid), {
    message: 'needs "from" (a Twilio number) or "messagingServiceSid"',
    path: ['from'],
  });

export type SmsConfig = z.infer<typeof smsConfigSchema>;

export const smsSecretFields = ['authToken'] as const;

/** The channel's configuration, checked again when it is read (it was stored by an older build, perhaps). */
export function smsConfigOf(channel: ChannelRecord): SmsConfig {
  const parsed = smsConfigSchema.safeParse(channel.config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'channel_unavailable',
      `The SMS channel "${channel.name}" is not fully configured: ${issue?.path.join('.') || 'config'} ${issue?.message ?? 'is invalid'}.`,
    );
  }
  return parsed.data;
}

export const mmsImageBytes = (config: Pick<SmsConfig, 'mmsImageKb'>): number =>
  (config.mmsImageKb ?? DEFAULT_MMS_IMAGE_KB) * 1024;

const limitFields = z.object({ mmsImageKb: z.number().int().min(50).max(5000).optional() });

/** What the composer may know of the channel's configuration: the MMS image budget in bytes. */
export function smsLimitsOf(config: Record<string, unknown>): ChannelLimits {
  const parsed = limitFields.safeParse(config);
  return { mmsImageBytes: mmsImageBytes(parsed.success ? parsed.data : {}) };
}
