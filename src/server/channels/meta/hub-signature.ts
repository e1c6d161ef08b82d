// X-Hub-Signature-256 as Meta sends it on WhatsApp and Instagram webhooks:
// `sha256=` + hex HMAC-SHA256 of the exact raw body bytes, keyed with the app secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

export function computeHubSignature(rawBody: Buffer | Uint8Array, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/** Constant-time check of an `X-Hub-Signature-256` header against the raw body bytes. */
export function verifyHubSignature(
  rawBody: Buffer | Uint8Array,
  header: string | undefined | null,
  appSecret: string,
): boolean {
  if (!header || !appSecret) return false;
  const trimmed = header.trim();
  if (trimmed.slice(0, PREFIX.length).toLowerCase() !== PREFIX) return false;
  const hex = trimmed.slice(PREFIX.length);
  if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}
