// Burned-in redaction and after-the-fact removal. A redaction is a new image with solid
// boxes and no metadata: either a new draft attachment (the composer sends it instead of the
// original) or, for an admin, the new bytes of an attachment already in a ticket. Deleting or
// replacing bytes releases the old blob and every derivative (the bytes go when no other
// reference remains), moves the link version on (signed links to the old bytes stop working),
// leaves a tombstone (`removal` in the attachment's meta) and an audit entry, and tells the
// open agent apps.
import type { Attachment } from '../../shared/api-schemas.js';
import type { AttachmentRemoval, RedactionBox } from '../../shared/redaction-api.js';
import type { Deps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import type { Db } from '../infra/db/connect.js';
import type { Updateable } from 'kysely';
import type { AttachmentTable, Row } from '../infra/db/schema.js';
import { newId } from '../infra/ids.js';
import { withCpuSlot } from '../media/cpu-slots.js';
import { deriveJob } from '../media/media-jobs.js';
import { burnRedaction, type BurnResult } from '../media/redaction/burn-redaction.js';
import { maxInputPixels } from '../media/redaction/ocr-preprocess.js';
import { withExtension } from '../media/sanitize-filename.js';
import { linkVersionOf } from '../media/signed-url.js';
import { announceAttachment } from './attachment-state.js';
import { getAttachmentRow } from './attachments.js';
import { recordAudit } from './audit.js';
import { discardIfUnreferenced, releaseBlob, retainBlob } from './blobs.js';
import { parseJsonObject } from './json.js';
import { loadMessage } from './message-views.js';
import { SCANNABLE_TYPES } from './pii-scans.js';
import type { Principal } from './sessions.js';
import { transact, type Effects } from './transaction.js';
import { presentAttachment } from './views.js';

interface Burned {
  key: string;
  size: number;
  image: BurnResult;
}

const extensionOf = (contentType: BurnResult['contentType']): string =>
  contentType === 'image/png' ? 'png' : 'jpg';

/** Burns the boxes into the attachment's image and stores the result (not yet referenced). */
async function burn(deps: Deps, row: Row<'attachments'>, boxes: readonly RedactionBox[]): Promise<Burned> {
  if (row.state === 'deleted') throw new AppError('gone', `"${row.name}" was deleted.`);
  if (!SCANNABLE_TYPES.has(row.contentType)) {
    throw new AppError(
      'unsupported_media',
      `Only images (JPEG, PNG, WebP, GIF, TIFF, AVIF) can be redacted; "${row.name}" is ${row.contentType}.`,
    );
  }
  if (row.width !== null && row.height !== null && row.width * row.height > maxInputPixels) {
    throw new AppError('image_too_large', `"${row.name}" is larger than ${maxInputPixels / 1e6} megapixels.`);
  }
  const blobKey = row.blobKey;
  if (!blobKey)
    throw new AppError('conflict', `"${row.name}" has not been downloaded yet; try again shortly.`);
  let image: BurnResult;
  try {
    image = await withCpuSlot(() => deps.blobs.withLocalFile(blobKey, (path) => burnRedaction(path, boxes)));
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation_failed')
      throw new AppError('invalid_boxes', error.message, error.details);
    if (error instanceof AppError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      /pixel limit/i.test(reason) ? 'image_too_large' : 'file_corrupt',
      `"${row.name}" could not be redacted: ${reason}`,
    );
  }
  const stored = await deps.blobs.putBuffer(image.buffer);
  return { ...stored, image };
}

async function actorOf(tx: Db, principal: Principal): Promise<{ id: string; name: string }> {
  const agent = await tx
    .selectFrom('agents')
    .select(['id', 'name'])
    .where('accountId', '=', principal.accountId)
    .where('id', '=', principal.agentId)
    .executeTakeFirst();
  return { id: principal.agentId, name: agent?.name ?? '' };
}

/** Drops every derivative of the attachment (thumbnail, preview, copies prepared for providers). */
async function dropDerivatives(tx: Db, effects: Effects, accountId: string, attachmentId: string) {
  const derivatives = await tx
    .selectFrom('derivatives')
    .select(['id', 'blobKey'])
    .where('accountId', '=', accountId)
    .where('attachmentId', '=', attachmentId)
    .execute();
  await tx
    .deleteFrom('derivatives')
    .where('accountId', '=', accountId)
    .where('attachmentId', '=', attachmentId)
    .execute();
  for (const derivative of derivatives) await releaseBlob(tx, effects, derivative.blobKey);
}

/** Releases the attachment's old bytes and forgets the account's scan of them if nothing else holds them. */
async function releaseOriginal(tx: Db, effects: Effects, accountId: string, key: string | null) {
  if (!key) return;
  await releaseBlob(tx, effects, key);
  const stillUsed = await tx
    .selectFrom('attachments')
    .select('id')
    .where('accountId', '=', accountId)
    .where('blobKey', '=', key)
    .executeTakeFirst();
  if (!stillUsed)
    await tx.deleteFrom('piiScans').where('accountId', '=', accountId).where('blobKey', '=', key).execute();
}

async function currentRow(tx: Db, accountId: string, id: string): Promise<Row<'attachments'>> {
  const row = await tx
    .selectFrom('attachments')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('The attachment');
  return row;
}

/** Tells the agent apps: the attachment's new state, and its message as it now reads. */
async function announceChange(tx: Db, effects: Effects, accountId: string, row: Row<'attachments'>) {
  await announceAttachment(tx, effects, accountId, row.id);
  if (!row.messageId) return;
  const message = await loadMessage(tx, accountId, row.messageId);
  await effects.emit(accountId, 'message.updated', { message }, message.ticketId);
}

const requireAdmin = (principal: Principal, what: string): void => {
  if (principal.role !== 'admin') throw new AppError('forbidden', `Only admins can ${what}.`);
};

/** A redacted copy of the attachment as a new draft (the original is left as it is). */
export async function redactToCopy(
  deps: Deps,
  principal: Principal,
  attachmentId: string,
  boxes: readonly RedactionBox[],
): Promise<Attachment> {
  const { accountId } = principal;
  const row = await getAttachmentRow(deps, accountId, attachmentId);
  const burned = await burn(deps, row, boxes);
  try {
    return await transact(deps, async (tx, effects) => {
      const now = deps.now();
      await retainBlob(tx, burned.key, burned.size, now);
      const inserted = await tx
        .insertInto('attachments')
        .values({
          id: newId(now),
          accountId,
          messageId: null,
          uploadedBy: principal.agentId,
          blobKey: burned.key,
          name: withExtension(row.name, extensionOf(burned.image.contentType)),
          contentType: burned.image.contentType,
          declaredType: burned.image.contentType,
          size: burned.size,
          width: burned.image.width,
          height: burned.image.height,
          durationMs: null,
          state: 'processing',
          stateReason: null,
          source: '{}',
          meta: JSON.stringify({ redacted: true, redactedFrom: row.id, boxes: boxes.length }),
          position: 0,
          createdAt: now,
          updatedAt: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await effects.enqueue(deriveJob, { attachmentId: inserted.id });
      return presentAttachment(inserted);
    });
  } catch (error) {
    await discardIfUnreferenced(deps, burned.key);
    throw error;
  }
}

/**
 * The shared end of an admin's change to an attachment already in a ticket: its derivatives
 * and old bytes are released, the row takes `change` and the tombstone (`removal`, and
 * `redacted` where the bytes are a redaction), signed links move to the next version, and the
 * audit log and open agent apps hear of it.
 */
async function replaceInTicket(
  tx: Db,
  effects: Effects,
  principal: Principal,
  current: Row<'attachments'>,
  input: {
    removal: AttachmentRemoval;
    redacted: boolean;
    change: Omit<Updateable<AttachmentTable>, 'meta' | 'updatedAt'>;
    action: 'attachment.redacted' | 'attachment.deleted';
    detail: Record<string, unknown>;
  },
): Promise<Row<'attachments'>> {
  const { accountId } = principal;
  const now = input.removal.at;
  await dropDerivatives(tx, effects, accountId, current.id);
  const updated = await tx
    .updateTable('attachments')
    .set({
      ...input.change,
      meta: JSON.stringify({
        ...(input.redacted ? { redacted: true } : {}),
        removal: input.removal,
        linkVersion: linkVersionOf(parseJsonObject(current.meta)) + 1,
      }),
      updatedAt: now,
    })
    .where('accountId', '=', accountId)
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await releaseOriginal(tx, effects, accountId, current.blobKey);
  await recordAudit(
    tx,
    {
      accountId,
      actorId: principal.agentId,
      action: input.action,
      subjectType: 'attachment',
      subjectId: current.id,
      detail: { messageId: current.messageId, name: current.name, ...input.detail },
    },
    now,
  );
  await announceChange(tx, effects, accountId, updated);
  return updated;
}

/** Admins: replaces the bytes of an attachment already in a ticket by a redacted copy. */
export async function redactInPlace(
  deps: Deps,
  principal: Principal,
  attachmentId: string,
  boxes: readonly RedactionBox[],
): Promise<Attachment> {
  const { accountId } = principal;
  const row = await getAttachmentRow(deps, accountId, attachmentId);
  requireAdmin(principal, 'redact an attachment that is already in a ticket');
  if (!row.messageId) {
    throw new AppError(
      'conflict',
      `"${row.name}" is not in a message yet: redact it into a new copy (without "replace") and discard the original.`,
    );
  }
  const burned = await burn(deps, row, boxes);
  try {
    return await transact(deps, async (tx, effects) => {
      const now = deps.now();
      const current = await currentRow(tx, accountId, attachmentId);
      if (current.blobKey !== row.blobKey || current.state === 'deleted')
        throw new AppError('conflict', `"${row.name}" changed meanwhile; reload and try again.`);
      const removal: AttachmentRemoval = { action: 'redacted', by: await actorOf(tx, principal), at: now };
      await retainBlob(tx, burned.key, burned.size, now);
      const updated = await replaceInTicket(tx, effects, principal, current, {
        removal,
        redacted: true,
        change: {
          blobKey: burned.key,
          name: withExtension(current.name, extensionOf(burned.image.contentType)),
          contentType: burned.image.contentType,
          size: burned.size,
          width: burned.image.width,
          height: burned.image.height,
          state: 'processing',
          stateReason: null,
        },
        action: 'attachment.redacted',
        detail: { boxes: boxes.length, previousSize: current.size, size: burned.size },
      });
      await effects.enqueue(deriveJob, { attachmentId });
      return presentAttachment(updated);
    });
  } catch (error) {
    await discardIfUnreferenced(deps, burned.key);
    throw error;
  }
}

/**
 * Removes a draft upload (one not in a message) with its derivatives, releasing its bytes.
 * False when it is gone or was sent meanwhile (then it is left as it is).
 */
export async function discardDraft(deps: Deps, accountId: string, attachmentId: string): Promise<boolean> {
  return transact(deps, async (tx, effects) => {
    const current = await tx
      .selectFrom('attachments')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('id', '=', attachmentId)
      .executeTakeFirst();
    if (!current || current.messageId !== null) return false;
    await dropDerivatives(tx, effects, accountId, attachmentId);
    await tx
      .deleteFrom('attachments')
      .where('accountId', '=', accountId)
      .where('id', '=', attachmentId)
      .execute();
    await releaseOriginal(tx, effects, accountId, current.blobKey);
    return true;
  });
}

export type DeleteOutcome = { kind: 'discarded' } | { kind: 'tombstone'; attachment: Attachment };

/**
 * A draft (not yet in a message) is discarded outright by the agent who uploaded it or an
 * admin. An attachment in a ticket can be deleted by an admin: its bytes and derivatives go,
 * a tombstone stays.
 */
export async function deleteAttachment(
  deps: Deps,
  principal: Principal,
  attachmentId: string,
): Promise<DeleteOutcome> {
  const { accountId } = principal;
  const row = await getAttachmentRow(deps, accountId, attachmentId);
  if (row.messageId === null) {
    if (principal.role !== 'admin' && row.uploadedBy !== principal.agentId)
      throw new AppError('forbidden', 'Only the agent who uploaded this file, or an admin, can discard it.');
    if (!(await discardDraft(deps, accountId, attachmentId)))
      throw new AppError('conflict', `"${row.name}" was sent meanwhile; reload and try again.`);
    return { kind: 'discarded' };
  }
  requireAdmin(principal, 'delete an attachment that is already in a ticket');
  if (row.state === 'deleted') return { kind: 'tombstone', attachment: presentAttachment(row) };
  const attachment = await transact(deps, async (tx, effects) => {
    const now = deps.now();
    const current = await currentRow(tx, accountId, attachmentId);
    if (current.state === 'deleted') return presentAttachment(current);
    const by = await actorOf(tx, principal);
    const updated = await replaceInTicket(tx, effects, principal, current, {
      removal: { action: 'deleted', by, at: now },
      redacted: parseJsonObject(current.meta).redacted === true,
      change: {
        blobKey: null,
        state: 'deleted',
        stateReason: by.name ? `Deleted by ${by.name}.` : 'Deleted by an admin.',
      },
      action: 'attachment.deleted',
      detail: { contentType: current.contentType, size: current.size },
    });
    return presentAttachment(updated);
  });
  return { kind: 'tombstone', attachment };
}
