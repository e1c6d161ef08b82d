import type { RecordedRequest } from '../shared/loopback-server.js';

export type TwilioMessageStatus =
  'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'read' | 'canceled';

/** What the simulated Twilio saw when it fetched one of our MediaUrl values. */
export interface TwilioFetchedMedia {
  url: string;
  head: { status?: number; contentType?: string; contentLength?: number; error?: string };
  get: { status?: number; contentType?: string; contentLength?: number; error?: string };
  bytes?: Buffer;
  /** The type the bytes' signature names, when recognised. */
  sniffedType?: string;
}

export interface TwilioStatusCallbackRecord {
  status: TwilioMessageStatus;
  errorCode?: number;
  /** Our webhook's answer, or the network error when it could not be reached. */
  responseStatus?: number;
  error?: string;
}

/** One message our application sent through the simulated Messages API. */
export interface TwilioSentMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrls: string[];
  statusCallback: string | null;
  /** Every form field exactly as posted, repeated names included. */
  params: Array<[string, string]>;
  status: TwilioMessageStatus;
  errorCode: number | null;
  errorMessage: string | null;
  /** True when media to a number outside US/CA was delivered as SMS with links. */
  convertedToSms: boolean;
  media: TwilioFetchedMedia[];
  statusCallbacks: TwilioStatusCallbackRecord[];
  createdAt: number;
}

/** A problem to inject into the next request for inbound media. */
export type TwilioMediaFailure =
  'not-found' | 'server-error' | 'redirect-loop' | 'slow-drip' | 'overlong-body';

export interface TwilioOutcome {
  status: 'failed' | 'undelivered';
  errorCode: number;
}

export interface FakeTwilioEvents {
  request: [RecordedRequest];
  'message-accepted': [TwilioSentMessage];
  'message-settled': [TwilioSentMessage];
  'status-callback': [TwilioSentMessage, TwilioStatusCallbackRecord];
  'media-request': [{ path: string; authorization: boolean; outcome: string }];
}
