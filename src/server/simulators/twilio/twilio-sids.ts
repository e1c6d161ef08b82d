import { randomBytes } from 'node:crypto';

export type TwilioSidPrefix = 'AC' | 'SM' | 'MM' | 'ME' | 'MG';

/** A Twilio-shaped sid: two letters and 32 hex digits. */
export function newTwilioSid(prefix: TwilioSidPrefix): string {
  return prefix + randomBytes(16).toString('hex');
}
