// Attachments enter through uploads (agents, visitors) and provider downloads. Either way the
// bytes are staged, checked, stored by hash and referenced by a row in one transaction; the
// derivatives follow in a job.
import type { Readable } from 'node:stream';
import type { Attachment } from '../../shared/api-schemas.js';
import type { Deps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import type { StagedBlob } from '../infra/blobs/blob-store.js';
import type { Row } from '../infra/db/schema.js';
import { newId } from '../infra/ids.js';
import { inspectStaged, type Inspection } from '../media/inspect-staged.js';
import { deriveJob } from '../media/media-jobs.js';
import { discardIfUnreferenced, retainBlob } from './blobs.js';
import { transact } from './transaction.js';
import { presentAttachment, type AttachmentUrls } from './views.js';

export interface IncomingFile {
  stream: Readable;
  filename: string | undefined;
  mimetype: string | undefined;
}

export interface CheckedFile {
  staged: StagedBlob;
  inspection: Inspection;
}

/** Streams one file into staging and checks it; throws (and keeps nothing) when it is refused. */
export async function stageUpload(
  deps: Pick<Deps, 'blobs'>,
  file: IncomingFile,
  maxBytes: number,
): Promise<CheckedFile> {
  const staged = await deps.blobs.stage(file.stream, { maxBytes });
  try {
    const inspection = await inspectStaged(staged, { name: file.filename, declaredType: file.mimetype });
    if (inspection.problem) throw inspection.problem;
    return { staged, inspection };
  } catch (error) {
    await staged.discard();
    throw error;
  }
}

/**
 * Stores checked uploads as unbound attachments, all or none. `uploadedBy` is an agent id or
 * a visitor reference (`visitor:<id>`), checked again when the attachments are sent.
 */
export async function storeUploads(
  deps: Deps,
  accountId: string,
  uploadedBy: string,
  files: CheckedFile[],
  urls?: AttachmentUrls,
): Promise<Attachment[]> {
  if (files.length === 0)
    throw new AppError('empty_upload', 'The upload holds no file: send one or more "file" parts.');
  const keys: string[] = [];
  try {
    for (const file of files) keys.push(await file.staged.commit());
  } catch (error) {
    await Promise.all(files.map((file) => file.staged.discard()));
    for (const key of keys) await discardIfUnreferenced(deps, key);
    throw error;
  }
  try {
    return await transact(deps, async (tx, effects) => {
      const now = deps.now();
      const rows: Row<'attachments'>[] = [];
      for (const [index, file] of files.entries()) {
        const key = keys[index] as string;
        await retainBlob(tx, key, file.staged.size, now);
        const row = await tx
          .insertInto('attachments')
          .values({
            id: newId(now),
            accountId,
            messageId: null,
            uploadedBy,
            blobKey: key,
            name: file.inspection.name,
            contentType: file.inspection.contentType,
            declaredType: file.inspection.declaredType,
            size: file.staged.size,
            width: file.inspection.width,
            height: file.inspection.height,
            durationMs: null,
            state: 'processing',
            stateReason: null,
            source: '{}',
            meta: '{}',
            position: index,
            createdAt: now,
            updatedAt: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        rows.push(row);
        await effects.enqueue(deriveJob, { attachmentId: row.id });
      }
      return rows.map((row) => presentAttachment(row, urls));
    });
  } catch (error) {
    for (const key of keys) await discardIfUnreferenced(deps, key);
    throw error;
  }
}

export async function getAttachmentRow(
  deps: Pick<Deps, 'db'>,
  accountId: string,
  id: string,
): Promise<Row<'attachments'>> {
  const row = await deps.db
    .selectFrom('attachments')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('The attachment');
  return row;
}

export async function findDerivative(
  deps: Pick<Deps, 'db'>,
  accountId: string,
  attachmentId: string,
  kind: string,
): Promise<Row<'derivatives'> | undefined> {
  return deps.db
    .selectFrom('derivatives')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('attachmentId', '=', attachmentId)
    .where('kind', '=', kind)
    .executeTakeFirst();
}
