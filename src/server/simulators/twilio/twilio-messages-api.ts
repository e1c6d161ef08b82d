// The Messages resource of the simulated Twilio REST API: create (validated like Twilio,
// answered 201, then delivered asynchronously with media fetched from our URLs and status
// callbacks posted back, signed) and fetch by sid.
import type { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { buildTwilioError, twilioErrorCodes } from '../../channels/twilio/twilio-error.js';
import type { SimRequest } from '../shared/loopback-server.js';
import { sendJson } from '../shared/loopback-server.js';
import { hasTwilioBasicAuth } from './twilio-basic-auth.js';
import { twilioMessageResource } from './twilio-message-resource.js';
import { exceedsCarrierLimit, fetchOutboundMedia } from './twilio-outbound-media.js';
import { validateTwilioSend } from './twilio-send-validation.js';
import type { NonUsCaMediaPolicy } from './twilio-send-validation.js';
import { newTwilioSid } from './twilio-sids.js';
import type {
  FakeTwilioEvents,
  TwilioMessageStatus,
  TwilioOutcome,
  TwilioSentMessage,
  TwilioStatusCallbackRecord,
} from './twilio-types.js';
import { buildStatusParams, postSignedForm } from './twilio-webhooks.js';

/** Behaviour switches tests and the simulator may change while running. */
export interface TwilioBehaviour {
  nonUsCaMedia: NonUsCaMediaPolicy;
  /** Pass-through media above this size ends `undelivered` with 30019; null disables. */
  carrierMaxBytes: number | null;
  statusOrder: 'in-order' | 'reversed';
  recipientOutcomes: Map<string, TwilioOutcome>;
}

export interface TwilioMessagesApiDeps {
  accountSid: string;
  authToken: string;
  clock: () => number;
  fetchTimeoutMs: number;
  webhookTimeoutMs: number;
  maxTotalMediaBytes: number;
  behaviour: TwilioBehaviour;
  events: EventEmitter<FakeTwilioEvents>;
}

export interface TwilioMessagesApi {
  messages: TwilioSentMessage[];
  handle(request: SimRequest, response: ServerResponse): boolean;
  waitForSettled(sid: string): Promise<TwilioSentMessage>;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const MESSAGE_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/.]+)\.json$/;

export function createTwilioMessagesApi(deps: TwilioMessagesApiDeps): TwilioMessagesApi {
  const messages: TwilioSentMessage[] = [];
  const settled = new Map<string, Promise<TwilioSentMessage>>();

  async function postStatus(message: TwilioSentMessage, status: TwilioMessageStatus, errorCode?: number) {
    const record: TwilioStatusCallbackRecord = { status, ...(errorCode === undefined ? {} : { errorCode }) };
    message.statusCallbacks.push(record);
    if (message.statusCallback) {
      const params = buildStatusParams({
        accountSid: deps.accountSid,
        messageSid: message.sid,
        status,
        from: message.from,
        to: message.to,
        messagingServiceSid: message.messagingServiceSid,
        ...(errorCode === undefined ? {} : { errorCode }),
      });
      try {
        const answer = await postSignedForm(
          message.statusCallback,
          params,
          deps.authToken,
          undefined,
          deps.webhookTimeoutMs,
        );
        record.responseStatus = answer.status;
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
      }
    }
    deps.events.emit('status-callback', message, record);
  }

  async function deliver(message: TwilioSentMessage): Promise<TwilioSentMessage> {
    const steps: Array<{ status: TwilioMessageStatus; errorCode?: number; errorMessage?: string }> = [];
    const fetched = await fetchOutboundMedia(message.mediaUrls, {
      timeoutMs: deps.fetchTimeoutMs,
      maxTotalBytes: deps.maxTotalMediaBytes,
    });
    message.media = fetched.media;
    const outcome = deps.behaviour.recipientOutcomes.get(message.to);
    if (fetched.failure) {
      steps.push({ status: 'failed', ...fetched.failure, errorMessage: fetched.failure.message });
    } else if (outcome?.status === 'failed') {
      steps.push({ status: 'failed', errorCode: outcome.errorCode });
    } else if (outcome?.status === 'undelivered') {
      steps.push({ status: 'sent' }, { status: 'undelivered', errorCode: outcome.errorCode });
    } else if (exceedsCarrierLimit(message.media, deps.behaviour.carrierMaxBytes)) {
      steps.push(
        { status: 'sent' },
        { status: 'undelivered', errorCode: twilioErrorCodes.contentTooLargeForCarrier },
      );
    } else {
      steps.push({ status: 'sent' }, { status: 'delivered' });
    }
    const last = steps[steps.length - 1];
    message.status = last?.status ?? 'sent';
    message.errorCode = last?.errorCode ?? null;
    message.errorMessage = last?.errorMessage ?? null;
    const order = deps.behaviour.statusOrder === 'reversed' ? [...steps].reverse() : steps;
    for (const step of order) await postStatus(message, step.status, step.errorCode);
    deps.events.emit('message-settled', message);
    return message;
  }

  function create(request: SimRequest, response: ServerResponse): void {
    const check = validateTwilioSend(
      new URLSearchParams(request.body.toString('utf8')),
      deps.behaviour.nonUsCaMedia,
    );
    if (!check.ok) {
      sendJson(response, check.status, check.error);
      return;
    }
    const input = check.request;
    const message: TwilioSentMessage = {
      sid: newTwilioSid(input.mediaUrls.length > 0 && !input.convertedToSms ? 'MM' : 'SM'),
      accountSid: deps.accountSid,
      to: input.to,
      from: input.from,
      messagingServiceSid: input.messagingServiceSid,
      body: input.convertedToSms ? [input.body, ...input.mediaUrls].filter(Boolean).join('\n') : input.body,
      mediaUrls: input.mediaUrls,
      statusCallback: input.statusCallback,
      params: input.params,
      status: input.from ? 'queued' : 'accepted',
      errorCode: null,
      errorMessage: null,
      convertedToSms: input.convertedToSms,
      media: [],
      statusCallbacks: [],
      createdAt: deps.clock(),
    };
    messages.push(message);
    sendJson(response, 201, twilioMessageResource(message));
    deps.events.emit('message-accepted', message);
    settled.set(message.sid, deliver(message));
  }

  return {
    messages,
    handle(request, response) {
      const createMatch = request.method === 'POST' ? MESSAGES_PATH.exec(request.pathname) : null;
      const fetchMatch = request.method === 'GET' ? MESSAGE_PATH.exec(request.pathname) : null;
      const match = createMatch ?? fetchMatch;
      if (!match) return false;
      if (!hasTwilioBasicAuth(request.headers.authorization, deps.accountSid, deps.authToken)) {
        response.setHeader('www-authenticate', 'Basic realm="Twilio API"');
        sendJson(response, 401, buildTwilioError(401, twilioErrorCodes.authenticate, 'Authenticate'));
        return true;
      }
      const found = fetchMatch ? messages.find((item) => item.sid === fetchMatch[2]) : undefined;
      if (match[1] !== deps.accountSid || (fetchMatch && !found)) {
        const text = `The requested resource ${request.pathname} was not found`;
        sendJson(response, 404, buildTwilioError(404, twilioErrorCodes.notFound, text));
        return true;
      }
      if (found) sendJson(response, 200, twilioMessageResource(found));
      else create(request, response);
      return true;
    },
    waitForSettled(sid) {
      const pending = settled.get(sid);
      return pending ?? Promise.reject(new Error(`No message ${sid} was sent to the simulator`));
    },
  };
}
