// The seam between the helpdesk and a provider. A channel adapter verifies and parses what
// the provider sends us, fetches the media it points at, and sends our messages in the
// provider's own contract. Everything else (contacts, tickets, storage, events, retries) is
// the core's, so every channel behaves the same where it can.
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ChannelKind, ChannelLimits } from '../../shared/api-schemas.js';
import type { ChannelRules } from '../../shared/channel-rules.js';
import type { Config } from '../config.js';
import type { BlobStore } from '../infra/blobs/blob-store.js';
import type { ChannelSimulator } from '../simulators/simulator-host.js';

export interface ChannelRecord<C = Record<string, unknown>> {
  id: string;
  accountId: string;
  kind: ChannelKind;
  name: string;
  /** Configuration with secrets merged in, parsed by the adapter's schema. */
  config: C;
  simulator: boolean;
}

export interface WebhookRequest {
  method: 'GET' | 'POST';
  /** What follows /webhooks/:kind/:channelId ('' for the channel's main endpoint). */
  subPath: string;
  /** The URL the provider called, rebuilt from PUBLIC_URL (what providers sign). */
  publicUrl: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string>;
  rawBody: Buffer;
}

export interface InboundAttachment {
  name?: string;
  declaredType?: string;
  declaredSize?: number;
  /** The adapter's own reference, handed back to `fetchMedia` (e.g. a URL or a media id). */
  source: Record<string, unknown>;
  /** False for media the provider forbids us to keep (Instagram story mentions). */
  store?: boolean;
  /** Set when the provider already says the media cannot be fetched. */
  unavailableReason?: string;
  meta?: Record<string, unknown>;
}

export interface InboundMessageEvent {
  type: 'message';
  providerMessageId: string;
  from: { externalId: string; name?: string; email?: string; phone?: string };
  text: string;
  subject?: string;
  attachments: InboundAttachment[];
  receivedAt?: number;
  /** Extra facts shown with the message (e.g. link cards, "unsupported message"). */
  meta?: Record<string, unknown>;
  /** True for copies of messages we sent (echoes): they are matched, not shown again. */
  echo?: boolean;
  /**
   * For channels that thread by themselves (e-mail headers and reply tokens): the ticket this
   * message continues (checked to be one of this channel's), or `'new'` for a ticket of its
   * own. Absent: the contact's current ticket on the channel.
   */
  thread?: { ticketId: string } | 'new';
}

export interface InboundStatusEvent {
  type: 'status';
  providerMessageId: string;
  status: 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed';
  errorCode?: string;
  errorMessage?: string;
  at?: number;
}

export interface InboundDeletionEvent {
  type: 'deleted';
  providerMessageId: string;
}

export interface ChannelHealthEvent {
  type: 'health';
  health: 'ok' | 'needs_attention';
  reason?: string;
}

export type InboundEvent =
  InboundMessageEvent | InboundStatusEvent | InboundDeletionEvent | ChannelHealthEvent;

export interface WebhookOutcome {
  response: { status: number; contentType?: string; body?: string };
  events: InboundEvent[];
}

export interface FetchedMedia {
  stream: Readable;
  contentType?: string;
  declaredSize?: number;
  name?: string;
}

export interface OutboundAttachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  blobKey: string;
  width: number | null;
  height: number | null;
}

export interface OutboundMessage {
  id: string;
  ticketId: string;
  ticketNumber: number;
  /** The ticket's subject (set by the send job). */
  ticketSubject?: string;
  /**
   * Provider ids of the ticket's earlier messages on this channel, oldest first (at most the
   * last 50), for channels that thread replies by reference (e-mail's In-Reply-To/References).
   */
  earlier?: Array<{ providerMessageId: string; direction: 'inbound' | 'outbound' }>;
  text: string;
  attachments: OutboundAttachment[];
  recipient: { externalId: string; name: string; email: string | null; phone: string | null };
  /** Milliseconds since the customer last wrote, for channels with a reply window. */
  lastInboundAt: number | null;
  meta: Record<string, unknown>;
}

export interface SendOutcome {
  /** Provider ids of the messages sent, in order (a message with several media may become several). */
  providerMessageIds: string[];
  status: 'queued' | 'sending' | 'sent' | 'delivered';
  meta?: Record<string, unknown>;
}

/**
 * Parts of a message already accepted by the provider (by part index), and a way to record
 * each part as soon as it is accepted. An adapter that sends several provider messages skips
 * the parts in `sent`, so a retry after a crash never sends a part twice.
 */
export interface SendProgress {
  sent: ReadonlyMap<number, string>;
  record(
    part: number,
    providerMessageId: string,
    status?: 'queued' | 'sending' | 'sent' | 'delivered',
  ): Promise<void>;
}

export interface PreparedBytes {
  url: string;
  contentType: string;
  size: number;
  open(): Promise<Readable>;
}

export interface AdapterDeps {
  config: Config;
  log: Logger;
  blobs: BlobStore;
  now(): number;
  rules: ChannelRules;
  /** A public, signed, expiring URL for an attachment (or one of its derivatives). */
  signedMediaUrl(attachmentId: string, variant?: string): string;
  /** A longer-lived signed link for a customer to open (files sent as links). */
  customerLink(attachmentId: string): string;
  /** Stores bytes prepared for a provider; returns a signed URL to them and a way to read them. */
  publishPrepared(
    attachmentId: string,
    variant: string,
    bytes: Buffer,
    contentType: string,
  ): Promise<PreparedBytes>;
  /** Bytes prepared earlier for this attachment and variant, if any. */
  findPrepared(attachmentId: string, variant: string): Promise<PreparedBytes | null>;
  /**
   * For a channel in simulator mode: the base URL of the fake provider running inside the app,
   * to use instead of the provider's API host (started on first use).
   */
  simulatorBaseUrl(channel: ChannelRecord): Promise<string>;
}

export interface ChannelAdapter<C = Record<string, unknown>> {
  kind: ChannelKind;
  /** Validates `config` on create and update; the fields named in `secretFields` are never shown back. */
  configSchema: z.ZodType<C>;
  secretFields: readonly string[];
  /**
   * The numbers and switches the composer plans a reply with, from the stored configuration
   * (without its secrets); they are shown to every agent, so never a secret.
   */
  limits?(config: Record<string, unknown>): ChannelLimits;
  /** The URL to paste into the provider's console, if the channel has one. */
  webhookUrl?(publicUrl: string, channelId: string): string;
  /** Every URL the provider's console needs, labelled (when there is more than one). */
  webhookUrls?(publicUrl: string, channelId: string): Array<{ key: string; label: string; url: string }>;
  /** The code a website embeds to show the channel (webchat), and the page that previews it. */
  install?(publicUrl: string, channelId: string, options: { demo: boolean }): ChannelInstall;
  /** The fake provider that serves this channel's simulator mode, when it has one. */
  simulator?: ChannelSimulator;
  /** Configuration for a new channel in simulator mode (credentials the in-app fake accepts). */
  simulatorConfig?(): Record<string, unknown>;
  handleWebhook?(
    request: WebhookRequest,
    channel: ChannelRecord<C>,
    deps: AdapterDeps,
  ): Promise<WebhookOutcome>;
  fetchMedia?(
    source: Record<string, unknown>,
    channel: ChannelRecord<C>,
    deps: AdapterDeps,
  ): Promise<FetchedMedia>;
  /**
   * The byte cap of one media item, when it is not `maxInboundMediaBytes` (an e-mail's kept
   * original is as large as the message the door accepted).
   */
  mediaCap?(source: Record<string, unknown>, config: Config): number;
  send(
    message: OutboundMessage,
    channel: ChannelRecord<C>,
    deps: AdapterDeps,
    progress: SendProgress,
  ): Promise<SendOutcome>;
}

/** A failure reported by the provider. `retryable` decides whether the send job tries again. */
export interface ChannelInstall {
  snippet: string;
  previewUrl: string | null;
}

export class ProviderError extends Error {
  constructor(
    readonly providerCode: string,
    message: string,
    readonly retryable: boolean,
    readonly health?: { health: 'needs_attention'; reason: string },
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
