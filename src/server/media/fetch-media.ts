// The download job for provider media: the adapter opens the stream with the provider's own
// auth, the core caps, hashes, sniffs and stores it, then hands it to the derivative job.
// Media that cannot be fetched, or is over the cap, stays in the thread with its reason.
import { adapterDeps } from '../channels/adapter-deps.js';
import type { Deps } from '../context.js';
import { completeAttachment } from '../domain/attachment-state.js';
import { discardIfUnreferenced, retainBlob } from '../domain/blobs.js';
import { toChannelRecord } from '../domain/channels.js';
import { announceAttachment } from '../domain/attachment-state.js';
import { transact } from '../domain/transaction.js';
import { AppError, isAppError } from '../errors.js';
import { handle, PermanentJobError, type JobHandler } from '../infra/queue/job.js';
import { formatBytes } from '../infra/blobs/metered-stream.js';
import { parseJsonObject } from '../domain/json.js';
import { inspectStaged } from './inspect-staged.js';
import { deriveJob, fetchMediaJob } from './media-jobs.js';

export function fetchMediaHandler(deps: Deps): JobHandler<unknown> {
  return handle(
    fetchMediaJob,
    async ({ attachmentId }, context) => {
      const row = await deps.db
        .selectFrom('attachments')
        .innerJoin('messages', 'messages.id', 'attachments.messageId')
        .innerJoin('channels', 'channels.id', 'messages.channelId')
        .selectAll('attachments')
        .select(['channels.id as channelId'])
        .where('attachments.id', '=', attachmentId)
        .executeTakeFirst();
      if (!row || row.state !== 'processing' || row.blobKey) return;
      const channelRow = await deps.db
        .selectFrom('channels')
        .selectAll()
        .where('id', '=', row.channelId)
        .executeTakeFirstOrThrow();
      const adapter = deps.channels.get(channelRow.kind);
      if (!adapter?.fetchMedia)
        throw new PermanentJobError(`The ${channelRow.kind} channel cannot download media.`);
      const cap =
        adapter.mediaCap?.(parseJsonObject(row.source), deps.config) ?? deps.config.maxInboundMediaBytes;
      const tooLarge = (size: number | null) =>
        completeAttachment(deps, row.accountId, row.id, {
          state: 'too_large',
          ...(size ? { size } : {}),
          stateReason: `Larger than the ${formatBytes(cap)} limit for incoming media${size ? ` (${formatBytes(size)})` : ''}.`,
        });
      if (row.size > cap) return tooLarge(row.size);
      const fetched = await adapter.fetchMedia(
        parseJsonObject(row.source),
        toChannelRecord(channelRow),
        adapterDeps(deps, channelRow.kind),
      );
      if (fetched.declaredSize !== undefined && fetched.declaredSize > cap) {
        fetched.stream.destroy();
        return tooLarge(fetched.declaredSize);
      }
      let staged;
      try {
        staged = await deps.blobs.stage(fetched.stream, { maxBytes: cap });
      } catch (error) {
        if (isAppError(error) && error.code === 'payload_too_large') return tooLarge(null);
        throw error;
      }
      const inspection = await inspectStaged(staged, {
        name: row.name.startsWith('media-') && fetched.name ? fetched.name : row.name,
        declaredType: fetched.contentType ?? row.declaredType,
      }).catch(async (error: unknown) => {
        await staged.discard();
        throw error;
      });
      if (inspection.contentType !== (fetched.contentType ?? row.declaredType)?.split(';')[0]) {
        context.log.info(
          {
            attachmentId,
            declared: fetched.contentType ?? row.declaredType,
            sniffed: inspection.contentType,
          },
          'the bytes disagree with the declared type; the bytes win',
        );
      }
      const key = await staged.commit();
      try {
        await transact(deps, async (tx, effects) => {
          const now = deps.now();
          await retainBlob(tx, key, staged.size, now);
          await tx
            .updateTable('attachments')
            .set({
              blobKey: key,
              name: inspection.name,
              contentType: inspection.contentType,
              size: staged.size,
              width: inspection.width,
              height: inspection.height,
              state: inspection.problem ? 'failed' : 'processing',
              stateReason: inspection.problem?.message ?? null,
              updatedAt: now,
            })
            .where('id', '=', row.id)
            .execute();
          if (inspection.problem) await announceAttachment(tx, effects, row.accountId, row.id);
          else await effects.enqueue(deriveJob, { attachmentId: row.id });
        });
      } catch (error) {
        await discardIfUnreferenced(deps, key);
        throw error;
      }
    },
    async ({ attachmentId }, error) => {
      const row = await deps.db
        .selectFrom('attachments')
        .select(['accountId', 'state'])
        .where('id', '=', attachmentId)
        .executeTakeFirst();
      if (!row || row.state !== 'processing') return;
      const reason =
        error instanceof Error && (error instanceof PermanentJobError || isAppError(error))
          ? error.message
          : 'The provider did not hand over the file after several tries.';
      await completeAttachment(deps, row.accountId, attachmentId, {
        state: 'unavailable',
        stateReason: reason,
      });
    },
  );
}

/** Queues another download of provider media that could not be fetched. */
export async function retryFetch(deps: Deps, accountId: string, attachmentId: string): Promise<void> {
  await transact(deps, async (tx, effects) => {
    const row = await tx
      .selectFrom('attachments')
      .select(['id', 'state', 'blobKey', 'source'])
      .where('accountId', '=', accountId)
      .where('id', '=', attachmentId)
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', 'The attachment was not found.');
    if (row.blobKey || !['unavailable', 'failed'].includes(row.state) || row.source === '{}') {
      throw new AppError('conflict', 'Only media that could not be downloaded can be fetched again.');
    }
    await tx
      .updateTable('attachments')
      .set({ state: 'processing', stateReason: null, updatedAt: deps.now() })
      .where('id', '=', attachmentId)
      .execute();
    await effects.enqueue(fetchMediaJob, { attachmentId });
    await announceAttachment(tx, effects, accountId, attachmentId);
  });
}
