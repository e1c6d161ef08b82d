// Rows → what a visitor may see: their conversation's messages with media links that are
// signed for this visitor's eyes and expire. No internal notes, no agent ids, no metadata.
import type { VisitorAttachment, VisitorMessage } from '../../../shared/webchat-api.js';
import type { Deps } from '../../context.js';
import { presentAttachment } from '../../domain/views.js';
import type { Db } from '../../infra/db/connect.js';
import type { DeliveryStatus, Row } from '../../infra/db/schema.js';
import { signedMediaPath } from '../../media/signed-url.js';
import { WEBCHAT_CONVERTED_VARIANT } from './webchat-adapter.js';

/** Replies the visitor sees: handed to the widget, not still queued or failed. */
export const VISIBLE_OUTBOUND: DeliveryStatus[] = ['sent', 'delivered', 'read'];

export const visibleToVisitor = (row: Pick<Row<'messages'>, 'note' | 'direction' | 'status'>): boolean =>
  row.note === 0 && (row.direction === 'inbound' || VISIBLE_OUTBOUND.includes(row.status));

export type LinkDeps = Pick<Deps, 'config' | 'secrets' | 'now'>;

/** A reply attachment converted for browsers (HEIC → JPEG): what the visitor gets instead. */
export type ConvertedCopy = Pick<Row<'derivatives'>, 'contentType' | 'size'>;

/** The converted copies of the given attachments, by attachment id. */
export async function convertedCopies(
  db: Db,
  accountId: string,
  attachmentIds: readonly string[],
): Promise<Map<string, ConvertedCopy>> {
  if (attachmentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('derivatives')
    .select(['attachmentId', 'contentType', 'size'])
    .where('accountId', '=', accountId)
    .where('kind', '=', WEBCHAT_CONVERTED_VARIANT)
    .where('attachmentId', 'in', [...attachmentIds])
    .execute();
  return new Map(rows.map((row) => [row.attachmentId, { contentType: row.contentType, size: row.size }]));
}

const jpegName = (name: string): string => `${name.replace(/\.[^.]+$/, '')}.jpg`;

export function presentVisitorAttachment(
  deps: LinkDeps,
  stored: Row<'attachments'>,
  converted?: ConvertedCopy,
): VisitorAttachment {
  const row = converted
    ? { ...stored, name: jpegName(stored.name), contentType: converted.contentType, size: converted.size }
    : stored;
  const expiresAt = Math.floor(deps.now() / 1000) + deps.config.signedUrlTtlSeconds;
  const link = (variant: string, name: string) =>
    `${deps.config.publicUrl}${signedMediaPath(deps.secrets.urlSigningKey, { attachmentId: row.id, variant, expiresAt }, name)}`;
  const shown = presentAttachment(row, {
    content: (attachment) => link(converted ? WEBCHAT_CONVERTED_VARIANT : 'original', attachment.name),
    thumbnail: (attachment) => link('thumbnail', attachment.name.replace(/\.[^.]+$/, '') + '.webp'),
    preview: (attachment) => link('preview', attachment.name.replace(/\.[^.]+$/, '') + '.webp'),
  });
  return {
    id: shown.id,
    name: shown.name,
    contentType: shown.contentType,
    size: shown.size,
    width: shown.width,
    height: shown.height,
    kind: shown.kind,
    state: shown.state,
    url: shown.url,
    thumbnailUrl: shown.thumbnailUrl,
    previewUrl: shown.previewUrl,
    downloadUrl: shown.url ? `${shown.url}?download=1` : null,
    linksExpireAt: shown.url || shown.thumbnailUrl ? expiresAt : null,
  };
}

/** Visitor messages are stored under "<visitor id>:<the widget's id>". */
const clientIdOf = (providerMessageId: string | null): string | null => {
  const at = providerMessageId?.indexOf(':') ?? -1;
  return providerMessageId && at > 0 ? providerMessageId.slice(at + 1) : null;
};

/** Presents message rows (already checked to belong to the visitor) with their attachments. */
export async function presentVisitorMessages(
  deps: LinkDeps & { db: Db },
  accountId: string,
  rows: Row<'messages'>[],
): Promise<VisitorMessage[]> {
  if (rows.length === 0) return [];
  const attachments = await deps.db
    .selectFrom('attachments')
    .selectAll()
    .where('accountId', '=', accountId)
    .where(
      'messageId',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('position')
    .execute();
  const agentIds = [
    ...new Set(rows.map((row) => row.authorAgentId).filter((id): id is string => id !== null)),
  ];
  const agents = agentIds.length
    ? await deps.db
        .selectFrom('agents')
        .select(['id', 'name'])
        .where('accountId', '=', accountId)
        .where('id', 'in', agentIds)
        .execute()
    : [];
  const names = new Map(agents.map((agent) => [agent.id, agent.name]));
  const converted = await convertedCopies(
    deps.db,
    accountId,
    attachments.map((attachment) => attachment.id),
  );
  return rows.map((row) => ({
    id: row.id,
    from: row.direction === 'inbound' ? 'visitor' : 'agent',
    clientId: row.direction === 'inbound' ? clientIdOf(row.providerMessageId) : null,
    text: row.text,
    status: row.status,
    authorName: row.authorAgentId ? (names.get(row.authorAgentId) ?? null) : null,
    createdAt: row.createdAt,
    attachments: attachments
      .filter((attachment) => attachment.messageId === row.id)
      .map((attachment) => presentVisitorAttachment(deps, attachment, converted.get(attachment.id))),
  }));
}
