// X-Twilio-Signature: HMAC-SHA1 (key = auth token, base64) over the full URL Twilio called,
// followed by every POST field as name + value, fields sorted by name in code-point order.
// A repeated name contributes each of its distinct values in sorted order, which is what the
// official SDKs compute. Verification accepts the URL with and without an explicit default
// port, because Twilio signs whichever form was configured.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TwilioParams =
  ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string | readonly string[]>>;

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function groupParams(params: TwilioParams): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  };
  if (Array.isArray(params)) {
    for (const [name, value] of params as ReadonlyArray<readonly [string, string]>) add(name, value);
  } else {
    for (const [name, value] of Object.entries(
      params as Readonly<Record<string, string | readonly string[]>>,
    )) {
      if (typeof value === 'string') add(name, value);
      else for (const item of value) add(name, item);
    }
  }
  return grouped;
}

/** The string Twilio signs: the URL, then each field as name + value, sorted by name. */
export function twilioSignedPayload(url: string, params: TwilioParams): string {
  const grouped = groupParams(params);
  let payload = url;
  for (const name of [...grouped.keys()].sort(byCodePoint)) {
    const values = [...new Set(grouped.get(name))].sort(byCodePoint);
    for (const value of values) payload += name + value;
  }
  return payload;
}

export function computeTwilioSignature(url: string, params: TwilioParams, authToken: string): string {
  return createHmac('sha1', authToken).update(twilioSignedPayload(url, params), 'utf8').digest('base64');
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };

/**
 * The URL as given plus its twin with the default port added or removed. `new URL()` drops
 * default ports, so the authority is edited as text.
 */
export function twilioUrlVariants(url: string): string[] {
  const match = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url);
  if (!match) return [url];
  const [, scheme = '', authority = '', rest = ''] = match;
  const defaultPort = DEFAULT_PORTS[scheme.toLowerCase()];
  if (!defaultPort) return [url];
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at + 1) : '';
  const hostPort = authority.slice(at + 1);
  const parts = /^(\[[^\]]*\])(?::(\d*))?$/.exec(hostPort) ?? /^([^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!parts) return [url];
  const host = parts[1] ?? '';
  const port = parts[2];
  const rebuild = (withPort: string | undefined): string =>
    `${scheme}://${userinfo}${host}${withPort === undefined ? '' : `:${withPort}`}${rest}`;
  if (port === undefined || port === '') return [url, rebuild(defaultPort)];
  if (port === defaultPort) return [url, rebuild(undefined)];
  return [url];
}

function safeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

export interface VerifyTwilioSignatureInput {
  /** The public URL Twilio called, rebuilt from configuration when behind a proxy. */
  url: string;
  params: TwilioParams;
  authToken: string;
  /** The X-Twilio-Signature header; missing or empty never verifies. */
  signature: string | undefined | null;
}

export function verifyTwilioSignature({
  url,
  params,
  authToken,
  signature,
}: VerifyTwilioSignatureInput): boolean {
  if (!signature || !authToken) return false;
  let valid = false;
  for (const candidate of twilioUrlVariants(url)) {
    // Every variant is checked so the time taken does not depend on which one matched.
    if (safeEqual(computeTwilioSignature(candidate, params, authToken), signature)) valid = true;
  }
  return valid;
}
