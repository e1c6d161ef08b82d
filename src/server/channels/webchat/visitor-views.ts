// Rows → what a visitor may see: their conversation's messages with media links that are
// signed for this visitor's eyes and expire. No internal notes, no agent ids, no metadata.
import type { VisitorAttachment, VisitorMessage } from '../../../shared/webchat-api.js';
import type { Deps } from '../../context.js';
import { presentAttachment } from '../../domain/views.js';
import type { Db } from '../../infra/db/connect.js';
import type { DeliveryStatus, Row } from '../../infra/db/schema.js';
import { linkVersionOf, signedMediaPath } from '../../media/signed-url.js';
import { parseJsonObject } from '../../domain/json.js';

/** Replies the visitor sees: handed to the widget, not still queued or failed. */
export const VISIBLE_OUTBOUND: DeliveryStatus[] = ['sent', 'delivered', 'read'];

export const visibleToVisitor = (row: Pick<Row<'messages'>, 'note' | 'direction' | 'status'>): boolean =>
  row.note === 0 && (row.direction === 'inbound' || VISIBLE_OUTBOUND.includes(row.status));

export type LinkDeps = Pick<Deps, 'config' | 'secrets' | 'now'>;

/** The copy of a reply attachment prepared for the customer: what the visitor is given. */
export type CustomerCopy = Pick<Row<'derivatives'>, 'kind' | 'contentType' | 'size'>;

/**
 * The copy of each attachment prepared for the customer when a reply was sent (metadata
 * stripped, converted for browsers), by attachment id: the visitor is given that one, never
 * the original.
 */
export async function customerCopies(
  db: Db,
  accountId: string,
  attachmentIds: readonly string[],
): Promise<Map<string, CustomerCopy>> {
  if (attachmentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('derivatives')
    .select(['attachmentId', 'kind', 'contentType', 'size'])
    .where('accountId', '=', accountId)
    .where('attachmentId', 'in', [...attachmentIds])
    .where('kind', 'like', 'prepared-%')
    .orderBy('createdAt')
    .execute();
  const copies = new Map<string, CustomerCopy>();
  for (const row of rows) if (!copies.has(row.attachmentId)) copies.set(row.attachmentId, row);
  return copies;
}

const jpegName = (name: string): string => `${name.replace(/\.[^.]+$/, '')}.jpg`;

export function presentVisitorAttachment(
  deps: LinkDeps,
  stored: Row<'attachments'>,
  /** The copy prepared for the customer (see customerCopies), served instead of the original. */
  customerCopy?: CustomerCopy,
): VisitorAttachment {
  const converted = customerCopy !== undefined && customerCopy.contentType !== stored.contentType;
  const row = customerCopy
    ? {
        ...stored,
        name: converted && customerCopy.contentType === 'image/jpeg' ? jpegName(stored.name) : stored.name,
        contentType: customerCopy.contentType,
        size: customerCopy.size,
      }
    : stored;
  const expiresAt = Math.floor(deps.now() / 1000) + deps.config.signedUrlTtlSeconds;
  const version = linkVersionOf(parseJsonObject(row.meta));
  const link = (variant: string, name: string) =>
    `${deps.config.publicUrl}${signedMediaPath(deps.secrets.urlSigningKey, { attachmentId: row.id, variant, expiresAt, version }, name)}`;
  const shown = presentAttachment(row, {
    content: (attachment) => link(customerCopy?.kind ?? 'original', attachment.name),
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
  const copies = await customerCopies(
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
      .map((attachment) => presentVisitorAttachment(deps, attachment, copies.get(attachment.id))),
  }));
}
