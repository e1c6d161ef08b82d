// Rows → the public API's shapes. Routes and events return these, never raw rows.
import type { Attachment, Channel, Message, Ticket } from '../../shared/api-schemas.js';
import { attachmentRemovalSchema, type AttachmentRemoval } from '../../shared/redaction-api.js';
import type { Row } from '../infra/db/schema.js';
import { parseJsonObject } from './json.js';

export function attachmentKind(contentType: string): Attachment['kind'] {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('video/')) return 'video';
  if (contentType.startsWith('audio/')) return 'audio';
  if (contentType === 'application/pdf') return 'pdf';
  return 'file';
}

export interface AttachmentUrls {
  content(row: Row<'attachments'>): string;
  thumbnail(row: Row<'attachments'>): string;
  preview(row: Row<'attachments'>): string;
}

export const agentUrls: AttachmentUrls = {
  content: (row) => `/api/attachments/${row.id}/content`,
  thumbnail: (row) => `/api/attachments/${row.id}/thumbnail`,
  preview: (row) => `/api/attachments/${row.id}/preview`,
};

/** What an admin did to the attachment after it was sent or received, kept in its meta. */
export function removalOf(meta: Record<string, unknown>): AttachmentRemoval | null {
  const parsed = attachmentRemovalSchema.safeParse(meta.removal);
  return parsed.success ? parsed.data : null;
}

export function presentAttachment(row: Row<'attachments'>, urls: AttachmentUrls = agentUrls): Attachment {
  const meta = parseJsonObject(row.meta);
  const readable = row.blobKey !== null && row.state !== 'deleted';
  const hasThumbnail = readable && row.state === 'ready' && meta.thumbnail !== undefined;
  // Media the provider forbids us to keep (Instagram story mentions) is shown from its own link.
  const remoteUrl =
    meta.notStored === true && typeof meta.remoteUrl === 'string' && /^https?:\/\//i.test(meta.remoteUrl)
      ? meta.remoteUrl
      : null;
  return {
    id: row.id,
    name: row.name,
    contentType: row.contentType,
    size: row.size,
    width: row.width,
    height: row.height,
    durationMs: row.durationMs,
    kind: attachmentKind(row.contentType),
    state: row.state,
    stateReason: row.stateReason,
    url: readable && row.state !== 'processing' ? urls.content(row) : remoteUrl,
    thumbnailUrl: hasThumbnail ? urls.thumbnail(row) : null,
    previewUrl: hasThumbnail && meta.preview !== undefined ? urls.preview(row) : null,
    messageId: row.messageId,
    redacted: meta.redacted === true,
    removal: removalOf(meta),
  };
}

export interface MessageAuthor {
  kind: 'agent' | 'contact';
  id: string;
  name: string;
}

export function presentMessage(
  row: Row<'messages'>,
  attachments: Row<'attachments'>[],
  author: MessageAuthor | null,
  urls: AttachmentUrls = agentUrls,
): Message {
  return {
    id: row.id,
    ticketId: row.ticketId,
    direction: row.direction,
    text: row.text,
    note: row.note === 1,
    status: row.status,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    author,
    meta: parseJsonObject(row.meta),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    attachments: attachments.map((attachment) => presentAttachment(attachment, urls)),
  };
}

export interface TicketJoin {
  channelKind: Row<'channels'>['kind'];
  channelName: string;
  contactName: string;
}

export function presentTicket(row: Row<'tickets'> & TicketJoin): Ticket {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    subject: row.subject,
    preview: row.preview,
    previewAttachment:
      row.previewAttachmentName !== null
        ? { name: row.previewAttachmentName, count: row.previewAttachmentCount }
        : null,
    channel: { id: row.channelId, kind: row.channelKind, name: row.channelName },
    contact: { id: row.contactId, name: row.contactName },
    assigneeId: row.assigneeId,
    lastMessageAt: row.lastMessageAt,
    lastInboundAt: row.lastInboundAt,
    createdAt: row.createdAt,
  };
}

export function presentChannel(
  row: Row<'channels'>,
  webhookUrl: string | null,
  webhookUrls: Array<{ key: string; label: string; url: string }> = webhookUrl
    ? [{ key: 'webhook', label: 'Webhook', url: webhookUrl }]
    : [],
): Channel {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    config: parseJsonObject(row.config),
    webhookUrl,
    webhookUrls,
    simulator: row.simulator === 1,
    health: row.health,
    healthReason: row.healthReason,
    createdAt: row.createdAt,
  };
}
