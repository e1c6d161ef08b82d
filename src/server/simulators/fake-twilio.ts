// A loopback stand-in for Twilio Programmable Messaging. It speaks Twilio's contract: signed
// form webhooks for incoming SMS/MMS and status callbacks, media behind Basic auth that
// redirects to an unauthenticated CDN path, and a Messages API that validates, answers 201,
// fetches our media with HEAD and GET and reports the outcome through StatusCallback.
// Tests use it as a fake; the app runs it as the SMS simulator.
import { EventEmitter } from 'node:events';
import { sendJson, startLoopbackServer } from './shared/loopback-server.js';
import type { RecordedRequest } from './shared/loopback-server.js';
import type { WebhookResponse } from './shared/post-webhook.js';
import { createTwilioMediaHost } from './twilio/twilio-media-host.js';
import { createTwilioMessagesApi } from './twilio/twilio-messages-api.js';
import type { TwilioBehaviour } from './twilio/twilio-messages-api.js';
import type { NonUsCaMediaPolicy } from './twilio/twilio-send-validation.js';
import { newTwilioSid } from './twilio/twilio-sids.js';
import type {
  FakeTwilioEvents,
  TwilioMediaFailure,
  TwilioMessageStatus,
  TwilioOutcome,
  TwilioSentMessage,
} from './twilio/twilio-types.js';
import { buildInboundParams, buildStatusParams, postSignedForm } from './twilio/twilio-webhooks.js';
import type { TwilioSigningOptions } from './twilio/twilio-webhooks.js';

export type * from './twilio/twilio-types.js';
export type { TwilioSigningOptions } from './twilio/twilio-webhooks.js';
export type { NonUsCaMediaPolicy } from './twilio/twilio-send-validation.js';
export type { RecordedRequest } from './shared/loopback-server.js';
export type { WebhookResponse } from './shared/post-webhook.js';

export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Deadline for each HEAD/GET of our media (default 10 s). */
  fetchTimeoutMs?: number;
  /** Deadline for each webhook we post to the application (default 15 s). */
  webhookTimeoutMs?: number;
  /** Lifetime of a CDN redirect target (default 4 h). */
  cdnTtlMs?: number;
  /** Total media per outbound message (default 5 MB). */
  maxTotalMediaBytes?: number;
  carrierMaxBytes?: number | null;
  /** Media to numbers outside US/CA: 400 with 21612 (default) or SMS with links. */
  nonUsCaMedia?: NonUsCaMediaPolicy;
  /** Pace of a `slow-drip` media answer (default 16 bytes every 100 ms). */
  drip?: { chunkBytes: number; intervalMs: number };
  clock?: () => number;
  /** Keep at most this many recorded requests (default 1000). */
  maxRecordedRequests?: number;
}

export interface TwilioInboundInput {
  /** The application's webhook URL for this number. */
  webhookUrl: string;
  from: string;
  to: string;
  body?: string;
  media?: ReadonlyArray<{ bytes: Uint8Array; contentType: string }>;
  /** Reuse a sid to simulate a redelivery. */
  messageSid?: string;
  messagingServiceSid?: string;
  /** Fields Twilio may add without notice. */
  extraFields?: Record<string, string>;
  signing?: TwilioSigningOptions;
}

export interface TwilioInboundResult {
  messageSid: string;
  mediaUrls: string[];
  params: Array<[string, string]>;
  response: WebhookResponse;
}

export interface TwilioStatusInput {
  url: string;
  messageSid: string;
  status: TwilioMessageStatus;
  errorCode?: number;
  from?: string;
  to?: string;
  signing?: TwilioSigningOptions;
}

export interface FakeTwilioControls {
  /** The next request for inbound media misbehaves once, in the given way. */
  failNextMediaRequest(kind: TwilioMediaFailure): void;
  /** Every CDN redirect target handed out so far answers 403 from now on. */
  expireCdnUrls(): void;
  /** Messages to this number end with the given status and ErrorCode (null clears). */
  setRecipientOutcome(to: string, outcome: TwilioOutcome | null): void;
  /** Post status callbacks in reverse order, as Twilio sometimes does. */
  setStatusOrder(order: 'in-order' | 'reversed'): void;
  setNonUsCaMedia(policy: NonUsCaMediaPolicy): void;
  setCarrierMaxBytes(bytes: number | null): void;
}

export interface FakeTwilio {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** Every request the simulator received, in order. */
  requests: RecordedRequest[];
  /** Every message the application created through the Messages API. */
  sentMessages: TwilioSentMessage[];
  events: EventEmitter<FakeTwilioEvents>;
  controls: FakeTwilioControls;
  sendInbound(input: TwilioInboundInput): Promise<TwilioInboundResult>;
  sendStatus(input: TwilioStatusInput): Promise<WebhookResponse>;
  /** Resolves when the message's media fetch and status callbacks are done. */
  waitForSettled(messageSid: string): Promise<TwilioSentMessage>;
  /** Whether any request to the CDN path carried an Authorization header. */
  cdnSawAuthorization(): boolean;
  close(): Promise<void>;
}

export async function startFakeTwilio(options: FakeTwilioOptions): Promise<FakeTwilio> {
  const clock = options.clock ?? Date.now;
  const webhookTimeoutMs = options.webhookTimeoutMs ?? 15_000;
  const events = new EventEmitter<FakeTwilioEvents>();
  const behaviour: TwilioBehaviour = {
    nonUsCaMedia: options.nonUsCaMedia ?? 'reject',
    carrierMaxBytes: options.carrierMaxBytes ?? null,
    statusOrder: 'in-order',
    recipientOutcomes: new Map(),
  };
  let baseUrl = '';
  const mediaHost = createTwilioMediaHost({
    baseUrl: () => baseUrl,
    accountSid: options.accountSid,
    authToken: options.authToken,
    clock,
    cdnTtlMs: options.cdnTtlMs ?? 4 * 60 * 60 * 1000,
    drip: options.drip ?? { chunkBytes: 16, intervalMs: 100 },
    onMediaRequest: (event) => events.emit('media-request', event),
  });
  const messagesApi = createTwilioMessagesApi({
    accountSid: options.accountSid,
    authToken: options.authToken,
    clock,
    fetchTimeoutMs: options.fetchTimeoutMs ?? 10_000,
    webhookTimeoutMs,
    maxTotalMediaBytes: options.maxTotalMediaBytes ?? 5 * 1024 * 1024,
    behaviour,
    events,
  });
  const server = await startLoopbackServer({
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    clock,
    ...(options.maxRecordedRequests === undefined
      ? {}
      : { maxRecordedRequests: options.maxRecordedRequests }),
    onRequest: (request) => events.emit('request', request),
    handle: (request, response) => {
      if (mediaHost.handle(request, response) || messagesApi.handle(request, response)) return;
      sendJson(response, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    },
  });
  baseUrl = server.baseUrl;

  return {
    baseUrl,
    accountSid: options.accountSid,
    authToken: options.authToken,
    requests: server.requests,
    sentMessages: messagesApi.messages,
    events,
    controls: {
      failNextMediaRequest: (kind) => mediaHost.failNext(kind),
      expireCdnUrls: () => mediaHost.expireCdnUrls(),
      setRecipientOutcome: (to, outcome) => {
        if (outcome) behaviour.recipientOutcomes.set(to, outcome);
        else behaviour.recipientOutcomes.delete(to);
      },
      setStatusOrder: (order) => {
        behaviour.statusOrder = order;
      },
      setNonUsCaMedia: (policy) => {
        behaviour.nonUsCaMedia = policy;
      },
      setCarrierMaxBytes: (bytes) => {
        behaviour.carrierMaxBytes = bytes;
      },
    },
    async sendInbound(input) {
      const media = input.media ?? [];
      const messageSid = input.messageSid ?? newTwilioSid(media.length > 0 ? 'MM' : 'SM');
      const hosted = media.map((item) => ({
        url: mediaHost.add(messageSid, item).url,
        contentType: item.contentType,
      }));
      const params = buildInboundParams({
        accountSid: options.accountSid,
        messageSid,
        from: input.from,
        to: input.to,
        body: input.body ?? '',
        media: hosted,
        ...(input.messagingServiceSid === undefined
          ? {}
          : { messagingServiceSid: input.messagingServiceSid }),
        ...(input.extraFields === undefined ? {} : { extraFields: input.extraFields }),
      });
      const response = await postSignedForm(
        input.webhookUrl,
        params,
        options.authToken,
        input.signing,
        webhookTimeoutMs,
      );
      return { messageSid, mediaUrls: hosted.map((item) => item.url), params, response };
    },
    sendStatus(input) {
      const params = buildStatusParams({
        accountSid: options.accountSid,
        messageSid: input.messageSid,
        status: input.status,
        ...(input.from === undefined ? {} : { from: input.from }),
        ...(input.to === undefined ? {} : { to: input.to }),
        ...(input.errorCode === undefined ? {} : { errorCode: input.errorCode }),
      });
      return postSignedForm(input.url, params, options.authToken, input.signing, webhookTimeoutMs);
    },
    waitForSettled: (sid) => messagesApi.waitForSettled(sid),
    cdnSawAuthorization: () => mediaHost.cdnSawAuthorization(),
    close: () => server.close(),
  };
}
