// Where an MMS can go. Twilio delivers picture messages only to numbers in the United States
// and Canada; elsewhere media must travel as a link in the text. The composer calls this to
// show the decision before sending, and the server applies the same rule when it sends.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { PlanContext } from './channel-rules.js';

/** What an SMS channel does with media for a number outside the US and Canada. */
export type OutsideNorthAmericaMedia = 'link' | 'send';

const MMS_COUNTRIES = new Set(['US', 'CA']);

/**
 * Whether a number (E.164, e.g. "+12025550143") can receive MMS. A +1 number of another
 * NANP country (Jamaica, the Bahamas, ...) cannot; a +1 number whose area code is not known
 * to the numbering plan is given the benefit of the doubt. Anything unparsable is refused.
 */
export function canReceiveMms(phone: string | null | undefined): boolean {
  if (!phone) return false;
  const parsed = parsePhoneNumberFromString(phone.trim());
  if (!parsed || parsed.countryCallingCode !== '1') return false;
  return parsed.country === undefined || MMS_COUNTRIES.has(parsed.country);
}

/**
 * The planning context for `decideAttachment` on an SMS channel: media is allowed when the
 * destination can receive MMS, or when the channel is set to hand media to Twilio anyway.
 */
export function smsPlanContext(
  phone: string | null | undefined,
  outsideNorthAmerica: OutsideNorthAmericaMedia = 'link',
): PlanContext {
  return { mediaAllowed: outsideNorthAmerica === 'send' || canReceiveMms(phone) };
}
