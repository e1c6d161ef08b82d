import { timingSafeEqual } from 'node:crypto';

/** Whether an Authorization header carries HTTP Basic `accountSid:authToken`. */
export function hasTwilioBasicAuth(
  header: string | undefined,
  accountSid: string,
  authToken: string,
): boolean {
  if (!header || !/^basic\s+/i.test(header)) return false;
  const decoded = Buffer.from(header.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
  const expected = Buffer.from(`${accountSid}:${authToken}`, 'utf8');
  const given = Buffer.from(decoded, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function basicAuthHeader(accountSid: string, authToken: string): string {
  return `Basic ${Buffer.from(`${accountSid}:${authToken}`, 'utf8').toString('base64')}`;
}
