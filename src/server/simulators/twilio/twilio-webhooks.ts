// Webhooks the way Twilio sends them: form-encoded POSTs signed with X-Twilio-Signature over
// the exact URL called and every field.
import { randomUUID } from 'node:crypto';
import { computeTwilioSignature } from '../../channels/twilio/twilio-signature.js';
import { postWebhook } from '../shared/post-webhook.js';
import type { WebhookResponse } from '../shared/post-webhook.js';
import type { TwilioMessageStatus } from './twilio-types.js';

/** How to sign one delivery; the defaults sign correctly. */
export interface TwilioSigningOptions {
  /** Sign with another token (a forged or stale webhook). */
  authToken?: string;
  /** Sign over another URL than the one posted to (e.g. the same URL with `:443`). */
  url?: string;
  /** Send without an X-Twilio-Signature header. */
  omitSignature?: boolean;
}

export async function postSignedForm(
  url: string,
  params: Array<[string, string]>,
  authToken: string,
  signing: TwilioSigningOptions | undefined,
  timeoutMs: number,
): Promise<WebhookResponse> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    accept: '*/*',
    'user-agent': 'TwilioProxy/1.1',
    'i-twilio-idempotency-token': randomUUID(),
  };
  if (!signing?.omitSignature) {
    headers['x-twilio-signature'] = computeTwilioSignature(
      signing?.url ?? url,
      params,
      signing?.authToken ?? authToken,
    );
  }
  return postWebhook(url, new URLSearchParams(params).toString(), headers, timeoutMs);
}

export interface InboundParamsInput {
  accountSid: string;
  messageSid: string;
  from: string;
  to: string;
  body: string;
  media: ReadonlyArray<{ url: string; contentType: string }>;
  messagingServiceSid?: string;
  extraFields?: Record<string, string>;
}

/** The fields of an incoming SMS/MMS webhook, in the order Twilio tends to send them. */
export function buildInboundParams(input: InboundParamsInput): Array<[string, string]> {
  const params: Array<[string, string]> = [
    ['ToCountry', 'US'],
    ['ToState', 'CA'],
    ['SmsMessageSid', input.messageSid],
    ['NumMedia', String(input.media.length)],
    ['ToCity', 'SAN FRANCISCO'],
    ['FromZip', '94105'],
    ['SmsSid', input.messageSid],
    ['FromState', 'CA'],
    ['SmsStatus', 'received'],
    ['FromCity', 'SAN FRANCISCO'],
    ['Body', input.body],
    ['FromCountry', 'US'],
    ['To', input.to],
  ];
  if (input.messagingServiceSid) params.push(['MessagingServiceSid', input.messagingServiceSid]);
  params.push(
    ['ToZip', '94105'],
    ['NumSegments', String(Math.max(1, Math.ceil([...input.body].length / 153)))],
    ['MessageSid', input.messageSid],
    ['AccountSid', input.accountSid],
    ['From', input.from],
    ['ApiVersion', '2010-04-01'],
  );
  input.media.forEach((item, index) => {
    params.push([`MediaContentType${index}`, item.contentType], [`MediaUrl${index}`, item.url]);
  });
  for (const [name, value] of Object.entries(input.extraFields ?? {})) params.push([name, value]);
  return params;
}

export interface StatusParamsInput {
  accountSid: string;
  messageSid: string;
  status: TwilioMessageStatus;
  from?: string | null;
  to?: string;
  messagingServiceSid?: string | null;
  errorCode?: number;
}

export function buildStatusParams(input: StatusParamsInput): Array<[string, string]> {
  const params: Array<[string, string]> = [
    ['AccountSid', input.accountSid],
    ['ApiVersion', '2010-04-01'],
    ['MessageSid', input.messageSid],
    ['SmsSid', input.messageSid],
    ['MessageStatus', input.status],
    ['SmsStatus', input.status],
  ];
  if (input.from) params.push(['From', input.from]);
  if (input.to) params.push(['To', input.to]);
  if (input.messagingServiceSid) params.push(['MessagingServiceSid', input.messagingServiceSid]);
  if (input.errorCode !== undefined) params.push(['ErrorCode', String(input.errorCode)]);
  return params;
}
