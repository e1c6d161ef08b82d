// Webhook deliveries as Meta makes them: JSON POST with X-Hub-Signature-256 computed over
// the exact bytes sent.
import { computeHubSignature } from '../../channels/meta/hub-signature.js';
import { postWebhook } from '../shared/post-webhook.js';
import type { WebhookResponse } from '../shared/post-webhook.js';

/**
 * JSON the way Meta writes it: `/` escaped as `\/` and non-ASCII as `\uXXXX`, so a receiver
 * that re-serialises the parsed body instead of verifying the raw bytes fails.
 */
export function metaJson(payload: unknown): string {
  return JSON.stringify(payload)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface MetaSigningOptions {
  /** Sign with another secret (a forged delivery). */
  appSecret?: string;
  omitSignature?: boolean;
  /** Sign the body, then send it with a trailing space (same JSON, other bytes). */
  tamper?: boolean;
}

export interface WebhookDelivery {
  product: 'whatsapp' | 'instagram';
  url: string;
  body: Buffer;
  headers: Record<string, string>;
  response?: WebhookResponse;
  error?: string;
}

export async function deliverSigned(
  product: 'whatsapp' | 'instagram',
  url: string,
  payload: unknown,
  appSecret: string,
  signing: MetaSigningOptions | undefined,
  timeoutMs: number,
): Promise<WebhookDelivery> {
  const body = Buffer.from(metaJson(payload), 'utf8');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'facebookexternalua',
  };
  if (!signing?.omitSignature) {
    const signature = computeHubSignature(body, signing?.appSecret ?? appSecret);
    headers['x-hub-signature-256'] = signature;
    headers['x-hub-signature'] = `sha1=${'0'.repeat(40)}`;
  }
  const sent = signing?.tamper ? Buffer.concat([body, Buffer.from(' ')]) : body;
  const delivery: WebhookDelivery = { product, url, body: sent, headers };
  try {
    delivery.response = await postWebhook(url, sent, headers, timeoutMs);
  } catch (error) {
    delivery.error = error instanceof Error ? error.message : String(error);
  }
  return delivery;
}

/** The GET Meta makes when a webhook URL is registered. */
export async function verifyWebhook(
  url: string,
  verifyToken: string,
  challenge = String(Math.floor(Math.random() * 1e9)),
): Promise<{ status: number; body: string; challenge: string }> {
  const target = new URL(url);
  target.searchParams.set('hub.mode', 'subscribe');
  target.searchParams.set('hub.verify_token', verifyToken);
  target.searchParams.set('hub.challenge', challenge);
  const response = await fetch(target, { redirect: 'manual' });
  return { status: response.status, body: await response.text(), challenge };
}
