// A loopback stand-in for Meta's Graph API, serving both the WhatsApp Cloud API and
// Instagram Messaging with one error shape and one signature scheme. Tests use it as a fake;
// the app runs it as the WhatsApp and Instagram simulator.
import { EventEmitter } from 'node:events';
import { buildGraphError } from '../channels/meta/graph-error.js';
import { accountObject } from './graph/graph-accounts.js';
import type { FakeGraph, FakeGraphEvents, FakeGraphOptions } from './graph/graph-types.js';
import type { GraphFailure, TokenState } from './graph/graph-reply.js';
import { checkToken, sendGraphError, unknownObject } from './graph/graph-reply.js';
import { createInstagramCdn } from './graph/instagram-cdn.js';
import { buildInstagramInbound } from './graph/instagram-inbound.js';
import { buildInstagramEnvelope, igMessageEvent } from './graph/instagram-payloads.js';
import { handleInstagramSend } from './graph/instagram-send.js';
import type { InstagramSentMessage, InstagramWindow } from './graph/instagram-send.js';
import { deliverSigned, verifyWebhook } from './graph/signed-delivery.js';
import type { MetaSigningOptions, WebhookDelivery } from './graph/signed-delivery.js';
import { buildWhatsAppInbound } from './graph/whatsapp-inbound.js';
import { createWhatsAppMediaStore } from './graph/whatsapp-media.js';
import { buildWhatsAppEnvelope } from './graph/whatsapp-payloads.js';
import type { WhatsAppAccount, WhatsAppStatus } from './graph/whatsapp-payloads.js';
import { createWhatsAppSender } from './graph/whatsapp-send.js';
import type { WhatsAppBehaviour } from './graph/whatsapp-send.js';
import { sendJson, startLoopbackServer } from './shared/loopback-server.js';
import { keyedWaiters } from './shared/waiters.js';

export type * from './graph/graph-types.js';
export type * from './graph/whatsapp-payloads.js';
export type * from './graph/instagram-payloads.js';
export type { GraphFailure } from './graph/graph-reply.js';
export type { InstagramCdnBehaviour, InstagramCdnInput, InstagramCdnItem } from './graph/instagram-cdn.js';
export type { InstagramInboundAttachmentSpec, InstagramInboundInput } from './graph/instagram-inbound.js';
export type { InstagramSentMessage, InstagramWindow, InstagramSendType } from './graph/instagram-send.js';
export type { MetaSigningOptions, WebhookDelivery } from './graph/signed-delivery.js';
export type { WhatsAppInboundInput, WhatsAppInboundSpec } from './graph/whatsapp-inbound.js';
export type { WhatsAppMedia } from './graph/whatsapp-media.js';
export type { WhatsAppSendSpec } from './graph/whatsapp-send-validation.js';
export type { WhatsAppSentMessage } from './graph/whatsapp-send.js';
export type { RecordedRequest } from './shared/loopback-server.js';
export {
  buildWhatsAppEnvelope,
  newWamid,
  waContact,
  waError,
  waMediaMessage,
  waStatus,
  waTextMessage,
  waUnsupportedMessage,
} from './graph/whatsapp-payloads.js';
export {
  buildInstagramEnvelope,
  igMessageEvent,
  igReadEvent,
  newInstagramMid,
} from './graph/instagram-payloads.js';
export { metaJson } from './graph/signed-delivery.js';

const API_PATH = /^\/(v\d+\.\d+)\/([^/]+)(?:\/([^/]+))?\/?$/;

export async function startFakeGraph(options: FakeGraphOptions): Promise<FakeGraph> {
  const clock = options.clock ?? Date.now;
  const version = options.version ?? 'v21.0';
  const webhookTimeoutMs = options.webhookTimeoutMs ?? 15_000;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 10_000;
  const events = new EventEmitter<FakeGraphEvents>();
  const token: TokenState = { accessToken: options.accessToken, expired: false };
  const account: WhatsAppAccount = {
    wabaId: options.whatsapp?.wabaId ?? '102290129340398',
    phoneNumberId: options.whatsapp?.phoneNumberId ?? '106540352242922',
    displayPhoneNumber: options.whatsapp?.displayPhoneNumber ?? '15550783881',
  };
  const igAccountId = options.instagram?.igAccountId ?? '17841400000000001';
  const pageId = options.instagram?.pageId ?? '100000000000001';
  const webhooks = { whatsapp: options.whatsapp?.webhookUrl, instagram: options.instagram?.webhookUrl };
  const deliveries: WebhookDelivery[] = [];
  const echoes = keyedWaiters<WebhookDelivery>();
  const igWindows = new Map<string, InstagramWindow>();
  const sendErrors = new Map<string, GraphFailure>();
  const igSent: InstagramSentMessage[] = [];
  let baseUrl = '';

  const deliver = async (
    product: 'whatsapp' | 'instagram',
    url: string,
    payload: unknown,
    signing?: MetaSigningOptions,
  ): Promise<WebhookDelivery> => {
    const delivery = await deliverSigned(product, url, payload, options.appSecret, signing, webhookTimeoutMs);
    deliveries.push(delivery);
    events.emit('webhook', delivery);
    return delivery;
  };
  const requireUrl = (url: string | undefined, product: string): string => {
    if (!url)
      throw new Error(`No ${product} webhook URL is configured; pass webhookUrl or call setWebhookUrls().`);
    return url;
  };

  const store = createWhatsAppMediaStore({
    baseUrl: () => baseUrl,
    clock,
    urlTtlMs: options.mediaUrlTtlMs ?? 5 * 60 * 1000,
    token,
  });
  const cdn = createInstagramCdn({
    baseUrl: () => baseUrl,
    clock,
    defaultTtlMs: options.instagramCdnTtlMs ?? 3 * 24 * 60 * 60 * 1000,
  });
  const waBehaviour: WhatsAppBehaviour = {
    closedWindows: new Set(),
    autoStatuses: options.autoStatuses ?? true,
    autoRead: options.autoRead ?? false,
    sendErrors,
  };
  const sender = createWhatsAppSender({
    phoneNumberId: account.phoneNumberId,
    token,
    clock,
    fetchTimeoutMs,
    store,
    behaviour: waBehaviour,
    postStatus: async (status: WhatsAppStatus) => {
      if (webhooks.whatsapp)
        await deliver('whatsapp', webhooks.whatsapp, buildWhatsAppEnvelope(account, { statuses: [status] }));
    },
    onAccepted: (message) => events.emit('whatsapp-accepted', message),
    onSettled: (message) => events.emit('whatsapp-settled', message),
  });

  async function echo(message: InstagramSentMessage): Promise<void> {
    if (!(options.autoEcho ?? true) || !webhooks.instagram) return;
    const attachment = message.attachment;
    const hosted = attachment
      ? cdn.add({ bytes: attachment.bytes, contentType: attachment.contentType })
      : undefined;
    const event = igMessageEvent({
      senderId: igAccountId,
      recipientId: message.recipientId,
      at: clock(),
      message: {
        mid: message.mid,
        is_echo: true,
        ...(message.text === undefined ? {} : { text: message.text }),
        ...(attachment && hosted
          ? { attachments: [{ type: attachment.type, payload: { url: hosted.url } }] }
          : {}),
      },
    });
    const delivery = await deliver(
      'instagram',
      webhooks.instagram,
      buildInstagramEnvelope(igAccountId, [event], clock()),
    );
    echoes.resolve(message.mid, delivery);
  }

  const server = await startLoopbackServer({
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    clock,
    ...(options.maxRecordedRequests === undefined
      ? {}
      : { maxRecordedRequests: options.maxRecordedRequests }),
    onRequest: (request) => events.emit('request', request),
    handle: async (request, response) => {
      if (store.handleDownload(request, response) || cdn.handle(request, response)) return;
      const match = API_PATH.exec(request.pathname);
      if (!match) return sendJson(response, 404, buildGraphError({ message: 'Unknown path', code: 803 }));
      const [, askedVersion, id = '', edge] = match;
      if (askedVersion !== version) {
        return sendGraphError(response, {
          status: 400,
          error: {
            message: `Unsupported API version ${askedVersion}; this server answers ${version}.`,
            code: 2635,
          },
        });
      }
      const post = request.method === 'POST';
      const ownAccount = accountObject(id, { account, igAccountId, pageId });
      if (!edge && request.method === 'GET' && ownAccount) {
        const denied = checkToken(request, token, id === account.phoneNumberId ? 'whatsapp' : 'instagram');
        return denied ? sendGraphError(response, denied) : sendJson(response, 200, ownAccount);
      }
      if (!edge && (request.method === 'GET' || request.method === 'DELETE'))
        return store.handleObject(request, response, id);
      if (post && id === account.phoneNumberId && edge === 'media')
        return store.handleUpload(request, response);
      if (post && id === account.phoneNumberId && edge === 'messages')
        return sender.handle(request, response);
      if (post && edge === 'messages' && [igAccountId, pageId, 'me'].includes(id)) {
        return handleInstagramSend(request, response, {
          igAccountId,
          token,
          fetchTimeoutMs,
          windows: igWindows,
          sendErrors,
          onAccepted: (message) => {
            igSent.push(message);
            events.emit('instagram-accepted', message);
            setImmediate(() => void echo(message));
          },
        });
      }
      return sendGraphError(response, unknownObject(id));
    },
  });
  baseUrl = server.baseUrl;

  return {
    baseUrl,
    version,
    graphUrl: `${baseUrl}/${version}`,
    whatsappAccount: account,
    igAccountId,
    pageId,
    requests: server.requests,
    deliveries,
    events,
    controls: {
      expireAccessToken: () => {
        token.expired = true;
      },
      restoreAccessToken: () => {
        token.expired = false;
      },
      setWhatsAppWindow: (waId, state) => {
        if (state === 'closed') waBehaviour.closedWindows.add(waId);
        else waBehaviour.closedWindows.delete(waId);
      },
      setInstagramWindow: (igsid, state) => igWindows.set(igsid, state),
      setSendError: (recipientId, failure) => {
        if (failure) sendErrors.set(recipientId, failure);
        else sendErrors.delete(recipientId);
      },
      lieAboutFileSize: (id, value) => store.faults.lieAboutFileSize(id, value),
      failMediaId: (id) => store.faults.failMediaId(id),
      expireMidDownload: (id) => store.faults.expireMidDownload(id),
      expireMediaUrls: () => store.faults.expireUrls(),
      rejectWhatsAppUploads: (failure) => store.faults.rejectUploads(failure),
      setInstagramCdnBehaviour: (urlOrId, behaviour) => {
        const item = cdn.find(urlOrId);
        if (item) item.behaviour = behaviour;
      },
      expireInstagramMedia: (urlOrId) => {
        const item = cdn.find(urlOrId);
        if (item) item.expiresAt = Number.NEGATIVE_INFINITY;
      },
    },
    setWebhookUrls: (urls) => {
      if (urls.whatsapp !== undefined) webhooks.whatsapp = urls.whatsapp;
      if (urls.instagram !== undefined) webhooks.instagram = urls.instagram;
    },
    verifyWebhook,
    deliverWhatsApp: (url, envelope, signing) => deliver('whatsapp', url, envelope, signing),
    deliverInstagram: (url, envelope, signing) => deliver('instagram', url, envelope, signing),
    whatsapp: {
      sent: sender.sent,
      addMedia: (bytes, mimeType) => store.add(bytes, mimeType, 'inbound'),
      getMedia: (id) => store.get(id),
      async receive(input) {
        const url = requireUrl(input.webhookUrl ?? webhooks.whatsapp, 'WhatsApp');
        waBehaviour.closedWindows.delete(input.from);
        const built = buildWhatsAppInbound(input, { account, store, clock });
        const delivery = await deliver('whatsapp', url, built.envelope, input.signing);
        return { ...built, delivery };
      },
      pushStatus: (wamid, status, errors) => sender.pushStatus(wamid, status, errors),
      waitForSettled: (wamid) => sender.waitForSettled(wamid),
    },
    instagram: {
      sent: igSent,
      addCdnMedia: (input) => cdn.add(input),
      async receive(input) {
        const url = requireUrl(input.webhookUrl ?? webhooks.instagram, 'Instagram');
        if (!input.isEcho) igWindows.delete(input.senderId);
        const built = buildInstagramInbound(input, { igAccountId, cdn, clock });
        const delivery = await deliver('instagram', url, built.envelope, input.signing);
        return { ...built, delivery };
      },
      waitForEcho: (mid) => echoes.wait(mid),
    },
    close: () => server.close(),
  };
}
