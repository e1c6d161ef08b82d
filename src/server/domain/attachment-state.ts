// State changes of an attachment, announced to the ticket's watchers once committed.
import type { Deps } from '../context.js';
import type { Db } from '../infra/db/connect.js';
import type { RowUpdate } from '../infra/db/schema.js';
import { newId } from '../infra/ids.js';
import { parseJsonObject } from './json.js';
import { releaseBlob, retainBlob } from './blobs.js';
import { transact, type Effects } from './transaction.js';
import { presentAttachment } from './views.js';

export async function announceAttachment(
  tx: Db,
  effects: Effects,
  accountId: string,
  attachmentId: string,
): Promise<void> {
  const row = await tx
    .selectFrom('attachments')
    .leftJoin('messages', 'messages.id', 'attachments.messageId')
    .selectAll('attachments')
    .select('messages.ticketId as ticketId')
    .where('attachments.accountId', '=', accountId)
    .where('attachments.id', '=', attachmentId)
    .executeTakeFirst();
  if (!row || !row.ticketId) return;
  const attachment = presentAttachment(row);
  await effects.emit(
    accountId,
    row.state === 'ready' ? 'attachment.ready' : 'attachment.updated',
    { attachment, ticketId: row.ticketId },
    row.ticketId,
  );
}

export interface DerivativeInput {
  kind: string;
  bytes: Buffer;
  contentType: string;
  width: number | null;
  height: number | null;
}

async function putDerivatives(deps: Deps, derivatives: DerivativeInput[]): Promise<StoredDerivative[]> {
  const stored: StoredDerivative[] = [];
  for (const derivative of derivatives)
    stored.push({ ...derivative, ...(await deps.blobs.putBuffer(derivative.bytes)) });
  return stored;
}

type StoredDerivative = DerivativeInput & { key: string; size: number };

/** Records derivatives (replacing one of the same kind) inside the caller's transaction. */
async function recordDerivatives(
  tx: Db,
  effects: Effects,
  now: number,
  accountId: string,
  attachmentId: string,
  stored: StoredDerivative[],
): Promise<void> {
  for (const derivative of stored) {
    const previous = await tx
      .selectFrom('derivatives')
      .select(['id', 'blobKey'])
      .where('attachmentId', '=', attachmentId)
      .where('kind', '=', derivative.kind)
      .executeTakeFirst();
    if (previous?.blobKey === derivative.key) continue;
    await retainBlob(tx, derivative.key, derivative.size, now);
    if (previous) {
      await tx
        .updateTable('derivatives')
        .set({
          blobKey: derivative.key,
          contentType: derivative.contentType,
          size: derivative.size,
          width: derivative.width,
          height: derivative.height,
        })
        .where('id', '=', previous.id)
        .execute();
      await releaseBlob(tx, effects, previous.blobKey);
    } else {
      await tx
        .insertInto('derivatives')
        .values({
          id: newId(now),
          accountId,
          attachmentId,
          kind: derivative.kind,
          blobKey: derivative.key,
          contentType: derivative.contentType,
          size: derivative.size,
          width: derivative.width,
          height: derivative.height,
          createdAt: now,
        })
        .execute();
    }
  }
}

/** Saves derivatives and the attachment's new facts in one transaction, then announces it. */
export async function completeAttachment(
  deps: Deps,
  accountId: string,
  attachmentId: string,
  change: RowUpdate<'attachments'> & { metaPatch?: Record<string, unknown> },
  derivatives: DerivativeInput[] = [],
  /** More work in the same transaction (e.g. queueing the next job). */
  alsoInTransaction?: (tx: Db) => Promise<void>,
): Promise<void> {
  const stored = await putDerivatives(deps, derivatives);
  await transact(deps, async (tx, effects) => {
    const now = deps.now();
    const current = await tx
      .selectFrom('attachments')
      .select(['meta', 'state'])
      .where('accountId', '=', accountId)
      .where('id', '=', attachmentId)
      .executeTakeFirst();
    if (!current || current.state === 'deleted') return;
    await recordDerivatives(tx, effects, now, accountId, attachmentId, stored);
    const { metaPatch, ...columns } = change;
    const meta = metaPatch ? JSON.stringify({ ...parseJsonObject(current.meta), ...metaPatch }) : undefined;
    await tx
      .updateTable('attachments')
      .set({ ...columns, ...(meta ? { meta } : {}), updatedAt: now })
      .where('accountId', '=', accountId)
      .where('id', '=', attachmentId)
      .execute();
    if (alsoInTransaction) await alsoInTransaction(tx);
    await announceAttachment(tx, effects, accountId, attachmentId);
  });
}

/** Saves one derivative (e.g. a copy prepared for a provider) without announcing anything. */
export async function saveDerivative(
  deps: Deps,
  accountId: string,
  attachmentId: string,
  derivative: DerivativeInput,
): Promise<void> {
  const stored = await putDerivatives(deps, [derivative]);
  await transact(deps, async (tx, effects) => {
    await recordDerivatives(tx, effects, deps.now(), accountId, attachmentId, stored);
  });
}
