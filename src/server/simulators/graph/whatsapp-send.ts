// `POST /{version}/{phone-number-id}/messages`: validated like the Cloud API, answered 200
// with a wamid, then delivered asynchronously: linked media is fetched the way Meta does,
// a closed 24-hour window fails with 131047, and statuses go to the webhook, signed.
import type { ServerResponse } from 'node:http';
import { graphErrorCodes } from '../../channels/meta/graph-error.js';
import type { SimRequest } from '../shared/loopback-server.js';
import { sendJson } from '../shared/loopback-server.js';
import { providerFetch } from '../shared/provider-fetch.js';
import type { GraphFailure, TokenState } from './graph-reply.js';
import { checkToken, sendGraphError } from './graph-reply.js';
import { checkWhatsAppMedia } from './whatsapp-media-check.js';
import { whatsappMediaRules } from './whatsapp-media-rules.js';
import type { WhatsAppMediaStore } from './whatsapp-media.js';
import { newWamid, waError, waStatus } from './whatsapp-payloads.js';
import type { WhatsAppError, WhatsAppStatus } from './whatsapp-payloads.js';
import { validateWhatsAppSend } from './whatsapp-send-validation.js';
import type { WhatsAppSendSpec } from './whatsapp-send-validation.js';

export interface WhatsAppSentMessage {
  wamid: string;
  spec: WhatsAppSendSpec;
  /** The JSON body as posted. */
  request: unknown;
  /** The bytes Meta would deliver, from the media id or fetched from the link. */
  media?: { bytes: Buffer; mimeType: string };
  /** Why fetching the link failed, when it did. */
  mediaError?: string;
  statuses: WhatsAppStatus[];
}

export interface WhatsAppBehaviour {
  closedWindows: Set<string>;
  autoStatuses: boolean;
  autoRead: boolean;
  /** A synchronous Graph error for sends to this wa_id (cleared by setting undefined). */
  sendErrors: Map<string, GraphFailure>;
}

export interface WhatsAppSendDeps {
  phoneNumberId: string;
  token: TokenState;
  clock: () => number;
  fetchTimeoutMs: number;
  store: WhatsAppMediaStore;
  behaviour: WhatsAppBehaviour;
  postStatus: (status: WhatsAppStatus) => Promise<void>;
  onAccepted: (message: WhatsAppSentMessage) => void;
  onSettled: (message: WhatsAppSentMessage) => void;
}

export interface WhatsAppSender {
  sent: WhatsAppSentMessage[];
  handle(request: SimRequest, response: ServerResponse): Promise<void>;
  waitForSettled(wamid: string): Promise<WhatsAppSentMessage>;
  pushStatus(
    wamid: string,
    status: WhatsAppStatus['status'],
    errors?: WhatsAppError[],
  ): Promise<WhatsAppStatus>;
}

const windowClosed = (): WhatsAppError =>
  waError(
    graphErrorCodes.reEngagementRequired,
    'Re-engagement message',
    'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  );
const mediaFailure = (details: string): WhatsAppError =>
  waError(graphErrorCodes.mediaUploadError, 'Media upload error', details);

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function createWhatsAppSender(deps: WhatsAppSendDeps): WhatsAppSender {
  const sent: WhatsAppSentMessage[] = [];
  const settled = new Map<string, Promise<WhatsAppSentMessage>>();

  async function pushStatus(wamid: string, status: WhatsAppStatus['status'], errors?: WhatsAppError[]) {
    const message = sent.find((item) => item.wamid === wamid);
    const entry = waStatus({
      id: wamid,
      status,
      recipientId: message?.spec.waId ?? '',
      at: deps.clock(),
      ...(errors ? { errors } : {}),
    });
    message?.statuses.push(entry);
    await deps.postStatus(entry);
    return entry;
  }

  async function resolveMedia(message: WhatsAppSentMessage): Promise<WhatsAppError | undefined> {
    const spec = message.spec;
    if (spec.type === 'text' || spec.type === 'template') return undefined;
    if (spec.mediaId !== undefined) {
      const item = deps.store.get(spec.mediaId);
      if (!item) return mediaFailure(`Media id ${spec.mediaId} no longer exists.`);
      message.media = { bytes: item.bytes, mimeType: item.mimeType };
      return undefined;
    }
    const link = spec.link ?? '';
    const fetched = await providerFetch(link, {
      timeoutMs: deps.fetchTimeoutMs,
      maxBytes: whatsappMediaRules[spec.type].maxBytes,
    });
    if (!fetched.ok) {
      message.mediaError = `Downloading ${link} failed: ${fetched.message}`;
      return mediaFailure(message.mediaError);
    }
    const check = await checkWhatsAppMedia(fetched.bytes, fetched.contentType);
    if (!check.ok || check.type !== spec.type) {
      message.mediaError = check.ok ? `${check.mimeType} cannot be sent as ${spec.type}.` : check.details;
      return mediaFailure(message.mediaError);
    }
    message.media = { bytes: fetched.bytes, mimeType: check.mimeType };
    return undefined;
  }

  async function deliver(message: WhatsAppSentMessage): Promise<WhatsAppSentMessage> {
    const closed = message.spec.type !== 'template' && deps.behaviour.closedWindows.has(message.spec.waId);
    const problem = closed ? windowClosed() : await resolveMedia(message);
    if (deps.behaviour.autoStatuses) {
      if (problem) {
        await pushStatus(message.wamid, 'failed', [problem]);
      } else {
        await pushStatus(message.wamid, 'sent');
        await pushStatus(message.wamid, 'delivered');
        if (deps.behaviour.autoRead) await pushStatus(message.wamid, 'read');
      }
    }
    return message;
  }

  async function handle(request: SimRequest, response: ServerResponse): Promise<void> {
    const denied = checkToken(request, deps.token, 'whatsapp');
    if (denied) return sendGraphError(response, denied);
    const body = parseJson(request.body);
    const check = validateWhatsAppSend(body, (id) => deps.store.get(id)?.mimeType);
    if (!check.ok) return sendGraphError(response, check.failure);
    const injected = deps.behaviour.sendErrors.get(check.spec.waId);
    if (injected) return sendGraphError(response, injected);
    const message: WhatsAppSentMessage = { wamid: newWamid(), spec: check.spec, request: body, statuses: [] };
    sent.push(message);
    sendJson(response, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: check.spec.to, wa_id: check.spec.waId }],
      messages: [
        { id: message.wamid, ...(check.spec.type === 'template' ? { message_status: 'accepted' } : {}) },
      ],
    });
    deps.onAccepted(message);
    const done = deliver(message);
    settled.set(message.wamid, done);
    void done.then(deps.onSettled, () => undefined);
  }

  return {
    sent,
    handle,
    pushStatus,
    waitForSettled: (wamid) =>
      settled.get(wamid) ?? Promise.reject(new Error(`No message ${wamid} was sent to the simulator`)),
  };
}
