// Validates `POST /2010-04-01/Accounts/{AC}/Messages.json` the way Twilio does before it
// accepts a message: synchronous 400s with Twilio's codes for what it can check up front.
import type { TwilioErrorBody } from '../../channels/twilio/twilio-error.js';
import { buildTwilioError, twilioErrorCodes } from '../../channels/twilio/twilio-error.js';

export interface TwilioSendRequest {
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrls: string[];
  statusCallback: string | null;
  params: Array<[string, string]>;
  convertedToSms: boolean;
}

export type NonUsCaMediaPolicy = 'reject' | 'convert';

export type TwilioSendValidation =
  { ok: true; request: TwilioSendRequest } | { ok: false; status: number; error: TwilioErrorBody };

const E164 = /^\+[1-9]\d{6,14}$/;
export const MAX_BODY_CHARS = 1600;
export const MAX_MEDIA = 10;

const fail = (code: number, message: string): TwilioSendValidation => ({
  ok: false,
  status: 400,
  error: buildTwilioError(400, code, message),
});

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** MMS reaches only the North American numbering plan (+1: US, Canada). */
export const isUsOrCa = (e164: string): boolean => e164.startsWith('+1');

export function validateTwilioSend(
  form: URLSearchParams,
  nonUsCaMedia: NonUsCaMediaPolicy,
): TwilioSendValidation {
  const params = [...form.entries()];
  const to = form.get('To')?.trim() ?? '';
  const from = form.get('From')?.trim() || null;
  const messagingServiceSid = form.get('MessagingServiceSid')?.trim() || null;
  const body = form.get('Body') ?? '';
  const mediaUrls = form.getAll('MediaUrl');
  const statusCallback = form.get('StatusCallback')?.trim() || null;

  if (!to) return fail(twilioErrorCodes.missingTo, "A 'To' phone number is required.");
  if (!from && !messagingServiceSid)
    return fail(twilioErrorCodes.missingFrom, "A 'From' phone number is required.");
  if (!E164.test(to))
    return fail(twilioErrorCodes.invalidToNumber, `The 'To' number ${to} is not a valid phone number.`);
  if (!body && mediaUrls.length === 0) return fail(twilioErrorCodes.missingBody, 'Message body is required.');
  if ([...body].length > MAX_BODY_CHARS) {
    return fail(
      twilioErrorCodes.bodyTooLong,
      'The concatenated message body exceeds the 1600 character limit.',
    );
  }
  if (mediaUrls.length > MAX_MEDIA) {
    return fail(twilioErrorCodes.tooManyMedia, 'Number of media files exceeds allowed limit (10).');
  }
  if (!mediaUrls.every(isHttpUrl)) return fail(twilioErrorCodes.invalidMediaUrl, 'Invalid media URL(s)');
  if (statusCallback !== null && !isHttpUrl(statusCallback)) {
    return fail(twilioErrorCodes.invalidStatusCallback, 'The StatusCallback URL is not a valid URL.');
  }
  let convertedToSms = false;
  if (mediaUrls.length > 0 && !isUsOrCa(to)) {
    if (nonUsCaMedia === 'reject') {
      return fail(
        twilioErrorCodes.notReachable,
        `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number: ${
          from ?? messagingServiceSid ?? ''
        } via MMS.`,
      );
    }
    convertedToSms = true;
  }
  return {
    ok: true,
    request: { to, from, messagingServiceSid, body, mediaUrls, statusCallback, params, convertedToSms },
  };
}
