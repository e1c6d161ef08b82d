// Twilio's error codes in plain words for the agent, and what each means for a send: whether
// trying again can help, and whether the channel itself needs attention. The code stored on a
// failed message is `twilio-<code>` (stable: the agent app may translate by it).
export interface TwilioErrorInfo {
  /** What happened, in words an agent can act on. */
  text: string;
  /** Trying the same send again later may succeed. */
  retryable: boolean;
  /** The channel's settings need fixing (credentials, sender, account). */
  channel?: boolean;
}

export const twilioErrors: Readonly<Record<number, TwilioErrorInfo>> = {
  11200: {
    text: 'Twilio could not download the attachment from the helpdesk. Check that PUBLIC_URL is reachable from the internet.',
    retryable: true,
  },
  11205: {
    text: 'Twilio could not connect to the helpdesk to download the attachment. Check that PUBLIC_URL is reachable from the internet.',
    retryable: true,
  },
  11751: { text: 'The attachment is larger than the carrier accepts.', retryable: false },
  12300: {
    text: 'Twilio refused the attachment because its file type did not match its contents.',
    retryable: false,
  },
  20003: {
    text: 'Twilio refused the channel’s credentials. An admin should check the Account SID and Auth Token in the channel settings.',
    retryable: false,
    channel: true,
  },
  20404: {
    text: 'Twilio does not know this account or resource. An admin should check the Account SID in the channel settings.',
    retryable: false,
    channel: true,
  },
  20429: {
    text: 'Twilio is receiving too many requests; the message will be sent again shortly.',
    retryable: true,
  },
  20500: { text: 'Twilio had an internal error; the message will be sent again shortly.', retryable: true },
  20503: {
    text: 'Twilio is temporarily unavailable; the message will be sent again shortly.',
    retryable: true,
  },
  21211: { text: 'The customer’s phone number is not a valid number.', retryable: false },
  21408: {
    text: 'The Twilio account is not allowed to send messages to this country. An admin can enable it in Twilio’s geographic permissions.',
    retryable: false,
    channel: true,
  },
  21602: { text: 'The message was empty.', retryable: false },
  21603: {
    text: 'The channel has no sending number. An admin should set a number or a Messaging Service.',
    retryable: false,
    channel: true,
  },
  21604: { text: 'The customer has no phone number to send to.', retryable: false },
  21606: {
    text: 'The channel’s sending number cannot send SMS. An admin should choose an SMS-capable number.',
    retryable: false,
    channel: true,
  },
  21608: {
    text: 'A trial Twilio account can only send to verified numbers. Verify this number in Twilio, or upgrade the account.',
    retryable: false,
    channel: true,
  },
  21609: { text: 'The helpdesk gave Twilio an invalid status address. Check PUBLIC_URL.', retryable: false },
  21610: {
    text: 'The customer has replied STOP and unsubscribed from this number; they must text START before they can receive messages.',
    retryable: false,
  },
  21611: {
    text: 'The sending number has too many messages waiting; the message will be sent again shortly.',
    retryable: true,
  },
  21612: {
    text: 'The customer’s number cannot receive picture messages from this sender (MMS reaches only the US and Canada).',
    retryable: false,
  },
  21614: {
    text: 'The customer’s number is not a mobile number and cannot receive text messages.',
    retryable: false,
  },
  21617: { text: 'The text is longer than 1,600 characters.', retryable: false },
  21620: { text: 'Twilio refused an attachment link as invalid.', retryable: false },
  21623: { text: 'A text message can carry at most 10 attachments.', retryable: false },
  30001: {
    text: 'Too many messages were queued at Twilio; the message expired before it could be sent.',
    retryable: true,
  },
  30002: {
    text: 'The Twilio account is suspended. An admin should check the account in Twilio.',
    retryable: false,
    channel: true,
  },
  30003: { text: 'The customer’s phone is unreachable (switched off or out of coverage).', retryable: false },
  30004: { text: 'The message was blocked: the customer may have blocked this number.', retryable: false },
  30005: { text: 'The customer’s number does not exist or is no longer in service.', retryable: false },
  30006: {
    text: 'The customer’s number is a landline or its carrier cannot receive text messages.',
    retryable: false,
  },
  30007: {
    text: 'The customer’s carrier filtered the message as possible spam. Rephrase it, avoid link shorteners, and try again.',
    retryable: false,
  },
  30008: { text: 'The carrier could not deliver the message for an unknown reason.', retryable: false },
  30019: {
    text: 'The picture or file is larger than the customer’s carrier accepts. Send a smaller one, or a link.',
    retryable: false,
  },
  30022: {
    text: 'The sending number is over its carrier’s daily limit; the message will be sent again later.',
    retryable: true,
  },
  30032: {
    text: 'The toll-free sending number is not verified yet, so carriers block its messages.',
    retryable: false,
    channel: true,
  },
  30034: {
    text: 'The sending number is not registered for business texting (A2P 10DLC), so US carriers block its messages.',
    retryable: false,
    channel: true,
  },
  63034: { text: 'The attachments are larger than the 5 MB a text message can carry.', retryable: false },
};

/** The stable error code stored on a message that Twilio failed. */
export const twilioErrorCode = (code: number | string): string => `twilio-${code}`;

/** Plain words for a Twilio error code, with Twilio's own message as a fallback. */
export function describeTwilioError(code: number | null, fallback?: string): TwilioErrorInfo {
  const known = code === null ? undefined : twilioErrors[code];
  if (known) return known;
  const detail = fallback?.trim() ? ` (${fallback.trim().replace(/\.$/, '')})` : '';
  return {
    text: code === null ? `Twilio could not send the message${detail}.` : `Twilio error ${code}${detail}.`,
    retryable: false,
  };
}
