// The derivative job: decode once, write what the thread shows (a WebP thumbnail, and a
// display-size preview where the original is heavy or not viewable in a browser), record
// dimensions and durations, and only then mark the attachment ready. Missing tools degrade
// to a file card with a note, never to a failure.
import type { Deps } from '../context.js';
import { completeAttachment, type DerivativeInput } from '../domain/attachment-state.js';
import { AppError } from '../errors.js';
import { handle, PermanentJobError, type JobHandler } from '../infra/queue/job.js';
import type { Row } from '../infra/db/schema.js';
import { withCpuSlot } from './cpu-slots.js';
import { deriveJob } from './media-jobs.js';
import { makeImageDerivatives, makeThumbnail, type WebpImage } from './transform/make-thumbnail.js';
import { pdfFirstPage, pdfPageCount } from './transform/pdf.js';
import { probeMedia, videoPoster } from './transform/video.js';

const BROWSER_IMAGES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif']);
const DECODABLE_IMAGES = new Set([...BROWSER_IMAGES, 'image/tiff', 'image/bmp', 'image/heic', 'image/heif']);
/** Originals above this size also get a display preview, so the viewer opens fast. */
const PREVIEW_ABOVE_BYTES = 1.5 * 1024 * 1024;

type Change = Parameters<typeof completeAttachment>[3];

interface Derived {
  change: Change;
  derivatives: DerivativeInput[];
}

const derivative = (kind: string, image: WebpImage): DerivativeInput => ({
  kind,
  bytes: image.buffer,
  contentType: image.contentType,
  width: image.width,
  height: image.height,
});

async function deriveImage(row: Row<'attachments'>, path: string): Promise<Derived> {
  const needsPreview = !BROWSER_IMAGES.has(row.contentType) || row.size > PREVIEW_ABOVE_BYTES;
  if (needsPreview) {
    const made = await makeImageDerivatives(path);
    return {
      change: {
        state: 'ready',
        width: made.source.width,
        height: made.source.height,
        metaPatch: {
          thumbnail: { width: made.thumbnail.width, height: made.thumbnail.height },
          preview: { width: made.preview.width, height: made.preview.height },
        },
      },
      derivatives: [derivative('thumbnail', made.thumbnail), derivative('preview', made.preview)],
    };
  }
  const thumbnail = await makeThumbnail(path);
  return {
    change: {
      state: 'ready',
      width: thumbnail.sourceWidth,
      height: thumbnail.sourceHeight,
      metaPatch: { thumbnail: { width: thumbnail.width, height: thumbnail.height } },
    },
    derivatives: [derivative('thumbnail', thumbnail)],
  };
}

async function deriveVideo(path: string): Promise<Derived> {
  const probe = await probeMedia(path);
  const poster = await videoPoster(path);
  const facts: Change = {
    state: 'ready',
    ...(probe?.durationSeconds ? { durationMs: Math.round(probe.durationSeconds * 1000) } : {}),
    ...(probe?.displayWidth && probe.displayHeight
      ? { width: probe.displayWidth, height: probe.displayHeight }
      : {}),
  };
  if (!poster)
    return {
      change: { ...facts, metaPatch: { note: 'No preview: ffmpeg is not installed on the server.' } },
      derivatives: [],
    };
  const thumbnail = await makeThumbnail(poster);
  return {
    change: {
      ...facts,
      metaPatch: { thumbnail: { width: thumbnail.width, height: thumbnail.height }, poster: true },
    },
    derivatives: [derivative('thumbnail', thumbnail)],
  };
}

async function deriveAudio(path: string): Promise<Derived> {
  const probe = await probeMedia(path);
  return {
    change: {
      state: 'ready',
      ...(probe?.durationSeconds ? { durationMs: Math.round(probe.durationSeconds * 1000) } : {}),
    },
    derivatives: [],
  };
}

async function derivePdf(path: string): Promise<Derived> {
  const page = await pdfFirstPage(path).catch(() => null);
  const pages = await pdfPageCount(path).catch(() => null);
  if (!page) {
    return {
      change: { state: 'ready', metaPatch: { ...(pages ? { pages } : {}), note: 'No preview of this PDF.' } },
      derivatives: [],
    };
  }
  const thumbnail = await makeThumbnail(page.buffer);
  return {
    change: {
      state: 'ready',
      metaPatch: {
        thumbnail: { width: thumbnail.width, height: thumbnail.height },
        ...(pages ? { pages } : {}),
      },
    },
    derivatives: [derivative('thumbnail', thumbnail)],
  };
}

export async function derive(row: Row<'attachments'>, path: string): Promise<Derived> {
  if (DECODABLE_IMAGES.has(row.contentType)) return deriveImage(row, path);
  if (row.contentType.startsWith('video/')) return deriveVideo(path);
  if (row.contentType.startsWith('audio/')) return deriveAudio(path);
  if (row.contentType === 'application/pdf') return derivePdf(path);
  return { change: { state: 'ready' }, derivatives: [] };
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
      let derived: Derived;
      try {
        derived = await withCpuSlot(() => deps.blobs.withLocalFile(blobKey, (path) => derive(row, path)));
      } catch (error) {
        const unsupported = error instanceof AppError && error.code === 'unsupported_media';
        if (unsupported) {
          // The format needs a tool this server lacks: keep it as a downloadable file.
          derived = { change: { state: 'ready', metaPatch: { note: error.message } }, derivatives: [] };
        } else {
          throw new PermanentJobError(`The file could not be read: ${(error as Error).message}`, {
            cause: error,
          });
        }
      }
      await completeAttachment(deps, row.accountId, row.id, derived.change, derived.derivatives);
      context.log.debug(
        { attachmentId, derivatives: derived.derivatives.map((d) => d.kind) },
        'derivatives written',
      );
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
