// The public shape of the Graph API simulator (WhatsApp Cloud API + Instagram Messaging).
import type { EventEmitter } from 'node:events';
import type { RecordedRequest } from '../shared/loopback-server.js';
import type { GraphFailure } from './graph-reply.js';
import type { InstagramCdnBehaviour, InstagramCdnInput, InstagramCdnItem } from './instagram-cdn.js';
import type { InstagramInboundInput } from './instagram-inbound.js';
import type { InstagramEnvelope } from './instagram-payloads.js';
import type { InstagramSentMessage, InstagramWindow } from './instagram-send.js';
import type { MetaSigningOptions, WebhookDelivery } from './signed-delivery.js';
import type { WhatsAppInboundInput } from './whatsapp-inbound.js';
import type { WhatsAppMedia } from './whatsapp-media.js';
import type {
  WhatsAppAccount,
  WhatsAppEnvelope,
  WhatsAppError,
  WhatsAppStatus,
} from './whatsapp-payloads.js';
import type { WhatsAppSentMessage } from './whatsapp-send.js';

export interface FakeGraphOptions {
  appSecret: string;
  accessToken: string;
  /** The Graph API version served; other versions are refused (default v21.0). */
  version?: string;
  host?: string;
  port?: number;
  whatsapp?: Partial<WhatsAppAccount> & { webhookUrl?: string };
  instagram?: { igAccountId?: string; pageId?: string; webhookUrl?: string };
  /** Lifetime of a WhatsApp media download URL (default 5 minutes). */
  mediaUrlTtlMs?: number;
  /** Default lifetime of Instagram CDN URLs (default 3 days). */
  instagramCdnTtlMs?: number;
  /** Deadline for fetching our media URLs (default 10 s). */
  fetchTimeoutMs?: number;
  /** Deadline for each webhook posted to the application (default 15 s). */
  webhookTimeoutMs?: number;
  /** Post sent/delivered (or failed) statuses after each WhatsApp send (default true). */
  autoStatuses?: boolean;
  /** Follow delivered with read (default false). */
  autoRead?: boolean;
  /** Deliver an `is_echo` event after each Instagram send (default true). */
  autoEcho?: boolean;
  clock?: () => number;
  /** Keep at most this many recorded requests (default 1000). */
  maxRecordedRequests?: number;
}

export interface FakeGraphEvents {
  request: [RecordedRequest];
  webhook: [WebhookDelivery];
  'whatsapp-accepted': [WhatsAppSentMessage];
  'whatsapp-settled': [WhatsAppSentMessage];
  'instagram-accepted': [InstagramSentMessage];
}

export interface WhatsAppInboundResult {
  wamid: string;
  mediaId?: string;
  envelope: WhatsAppEnvelope;
  delivery: WebhookDelivery;
}

export interface InstagramInboundResult {
  mid: string;
  attachmentUrls: string[];
  envelope: InstagramEnvelope;
  delivery: WebhookDelivery;
}

export interface FakeGraphControls {
  /** Every call with the access token fails with code 190 until restored. */
  expireAccessToken(): void;
  restoreAccessToken(): void;
  /** A closed window makes sends fail later with a `failed` status carrying 131047. */
  setWhatsAppWindow(waId: string, state: 'open' | 'closed'): void;
  /** `human-agent`: only sends tagged HUMAN_AGENT pass; `closed`: none do. */
  setInstagramWindow(igsid: string, state: InstagramWindow): void;
  /** Answer sends to this recipient (wa_id or IGSID) with this Graph error; null clears. */
  setSendError(recipientId: string, failure: GraphFailure | null): void;
  /** `GET /{media-id}` reports this `file_size` instead of the real one. */
  lieAboutFileSize(mediaId: string, value: number | string): void;
  /** `GET /{media-id}` answers as if the id did not exist. */
  failMediaId(mediaId: string): void;
  /** The next download of this media stops half way and its URL lapses. */
  expireMidDownload(mediaId: string): void;
  /** Every WhatsApp download URL handed out so far lapses. */
  expireMediaUrls(): void;
  /** Refuse every WhatsApp media upload with this Graph error until cleared with null. */
  rejectWhatsAppUploads(failure: GraphFailure | null): void;
  setInstagramCdnBehaviour(urlOrId: string, behaviour: InstagramCdnBehaviour): void;
  /** Lapse one Instagram CDN URL now. */
  expireInstagramMedia(urlOrId: string): void;
}

export interface FakeGraph {
  baseUrl: string;
  version: string;
  /** `baseUrl/version`, the base adapters put in front of Graph paths. */
  graphUrl: string;
  whatsappAccount: WhatsAppAccount;
  igAccountId: string;
  pageId: string;
  requests: RecordedRequest[];
  /** Every webhook delivered to the application, in order. */
  deliveries: WebhookDelivery[];
  events: EventEmitter<FakeGraphEvents>;
  controls: FakeGraphControls;
  setWebhookUrls(urls: { whatsapp?: string; instagram?: string }): void;
  /** The GET Meta makes to verify a webhook URL. */
  verifyWebhook(
    url: string,
    verifyToken: string,
    challenge?: string,
  ): Promise<{ status: number; body: string; challenge: string }>;
  deliverWhatsApp(
    webhookUrl: string,
    envelope: unknown,
    signing?: MetaSigningOptions,
  ): Promise<WebhookDelivery>;
  deliverInstagram(
    webhookUrl: string,
    envelope: unknown,
    signing?: MetaSigningOptions,
  ): Promise<WebhookDelivery>;
  whatsapp: {
    sent: WhatsAppSentMessage[];
    addMedia(bytes: Uint8Array, mimeType: string): WhatsAppMedia;
    getMedia(id: string): WhatsAppMedia | undefined;
    /** The customer sends a message; delivered to the configured (or given) webhook. */
    receive(
      input: WhatsAppInboundInput & { webhookUrl?: string; signing?: MetaSigningOptions },
    ): Promise<WhatsAppInboundResult>;
    pushStatus(
      wamid: string,
      status: WhatsAppStatus['status'],
      errors?: WhatsAppError[],
    ): Promise<WhatsAppStatus>;
    waitForSettled(wamid: string): Promise<WhatsAppSentMessage>;
  };
  instagram: {
    sent: InstagramSentMessage[];
    addCdnMedia(input: InstagramCdnInput): InstagramCdnItem;
    receive(
      input: InstagramInboundInput & { webhookUrl?: string; signing?: MetaSigningOptions },
    ): Promise<InstagramInboundResult>;
    /** Resolves with the echo delivery for a sent mid. */
    waitForEcho(mid: string): Promise<WebhookDelivery>;
  };
  close(): Promise<void>;
}
