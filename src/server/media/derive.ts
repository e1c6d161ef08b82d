// The derivative job: decode once, write the thumbnail the thread shows, record the
// dimensions, and only then mark the attachment ready.
import sharp from 'sharp';
import type { Deps } from '../context.js';
import { completeAttachment, type DerivativeInput } from '../domain/attachment-state.js';
import { handle, PermanentJobError, type JobHandler } from '../infra/queue/job.js';
import { MAX_IMAGE_PIXELS } from './inspect-staged.js';
import { deriveJob } from './media-jobs.js';

export const THUMBNAIL_EDGE = 480;

const THUMBNAILABLE = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/tiff',
  'image/bmp',
]);

export async function imageThumbnail(
  path: string,
): Promise<{ thumbnail: DerivativeInput; width: number; height: number }> {
  const image = sharp(path, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'truncated' });
  const meta = await image.metadata();
  const { data, info } = await image
    .rotate()
    .resize({ width: THUMBNAIL_EDGE, height: THUMBNAIL_EDGE, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 78, effort: 2 })
    .toBuffer({ resolveWithObject: true });
  return {
    thumbnail: {
      kind: 'thumbnail',
      bytes: data,
      contentType: 'image/webp',
      width: info.width,
      height: info.height,
    },
    width: meta.autoOrient?.width ?? meta.width ?? info.width,
    height: meta.autoOrient?.height ?? meta.height ?? info.height,
  };
}

export function deriveHandler(deps: Deps): JobHandler<unknown> {
  return handle(
    deriveJob,
    async ({ attachmentId }, context) => {
      const row = await deps.db
        .selectFrom('attachments')
        .selectAll()
        .where('id', '=', attachmentId)
        .executeTakeFirst();
      if (!row || row.state !== 'processing' || !row.blobKey) return;
      const blobKey = row.blobKey;
      if (!THUMBNAILABLE.has(row.contentType)) {
        await completeAttachment(deps, row.accountId, row.id, { state: 'ready' });
        return;
      }
      try {
        const result = await deps.blobs.withLocalFile(blobKey, (path) => imageThumbnail(path));
        await completeAttachment(
          deps,
          row.accountId,
          row.id,
          {
            state: 'ready',
            width: result.width,
            height: result.height,
            metaPatch: { thumbnail: { width: result.thumbnail.width, height: result.thumbnail.height } },
          },
          [result.thumbnail],
        );
        context.log.debug({ attachmentId }, 'thumbnail written');
      } catch (error) {
        throw new PermanentJobError(`The image could not be decoded: ${(error as Error).message}`, {
          cause: error,
        });
      }
    },
    async ({ attachmentId }, error) => {
      const row = await deps.db
        .selectFrom('attachments')
        .select(['accountId'])
        .where('id', '=', attachmentId)
        .executeTakeFirst();
      if (!row) return;
      await completeAttachment(deps, row.accountId, attachmentId, {
        state: 'failed',
        stateReason: error instanceof Error ? error.message : 'The file could not be processed.',
      });
    },
  );
}
