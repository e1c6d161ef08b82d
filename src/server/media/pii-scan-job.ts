// The personal-data scan job: recognise the text of one stored image on the process's shared
// OCR pool and keep the proposed boxes per account and blob. Images above `OCR_MAX_PIXELS`
// are downscaled for recognition and the boxes mapped back to the original's pixels.
import sharp from 'sharp';
import type { Deps } from '../context.js';
import { readScan, saveScan } from '../domain/pii-scans.js';
import { AppError } from '../errors.js';
import { handle, type JobHandler } from '../infra/queue/job.js';
import { withCpuSlot } from './cpu-slots.js';
import { piiScanJob } from './media-jobs.js';
import { maxInputPixels } from './redaction/ocr-preprocess.js';
import { scanImageForPersonalData } from './redaction/scan-image.js';
import type { Box, Finding } from './redaction/types.js';

/** Larger images are recognised at this many pixels (text of a 5K screen still reads). */
export const OCR_MAX_PIXELS = 16_000_000;

interface Recognisable {
  input: string | Buffer;
  width: number;
  height: number;
  /** Recognised size ÷ original size (1 unless downscaled). */
  scale: number;
}

async function recognisable(path: string): Promise<Recognisable> {
  const meta = await sharp(path, { limitInputPixels: maxInputPixels })
    .metadata()
    .catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError(
        /pixel limit/i.test(reason) ? 'image_too_large' : 'file_corrupt',
        `The image could not be read: ${reason}`,
      );
    });
  const width = meta.autoOrient.width;
  const height = meta.autoOrient.height;
  if (width * height <= OCR_MAX_PIXELS) return { input: path, width, height, scale: 1 };
  const scale = Math.sqrt(OCR_MAX_PIXELS / (width * height));
  const input = await sharp(path, { limitInputPixels: maxInputPixels, autoOrient: true })
    .resize(Math.max(1, Math.floor(width * scale)), Math.max(1, Math.floor(height * scale)), {
      fit: 'fill',
    })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return { input, width, height, scale };
}

/** A box of the recognised image in the original's whole pixels, inside it; undefined if empty. */
export function toOriginalBox(box: Box, scale: number, width: number, height: number): Box | undefined {
  const left = Math.max(0, Math.floor(box.x / scale));
  const top = Math.max(0, Math.floor(box.y / scale));
  const right = Math.min(width, Math.ceil((box.x + box.width) / scale));
  const bottom = Math.min(height, Math.ceil((box.y + box.height) / scale));
  return right > left && bottom > top
    ? { x: left, y: top, width: right - left, height: bottom - top }
    : undefined;
}

export function piiScanHandler(deps: Deps): JobHandler<unknown> {
  return handle(
    piiScanJob,
    async ({ accountId, blobKey }, context) => {
      if (await readScan(deps, accountId, blobKey)) return;
      const referenced = await deps.db
        .selectFrom('attachments')
        .select('id')
        .where('accountId', '=', accountId)
        .where('blobKey', '=', blobKey)
        .executeTakeFirst();
      if (!referenced) return;
      try {
        const result = await deps.blobs.withLocalFile(blobKey, async (path) => {
          const image = await recognisable(path);
          const scan = await withCpuSlot(() =>
            scanImageForPersonalData(image.input, { pool: deps.ocr.get() }),
          );
          const findings = scan.findings.flatMap((finding): Finding[] => {
            const box = toOriginalBox(finding.box, image.scale, image.width, image.height);
            return box ? [{ kind: finding.kind, text: finding.text, box }] : [];
          });
          return { findings, width: image.width, height: image.height, words: scan.words, ms: scan.ms };
        });
        await saveScan(deps, accountId, blobKey, { status: 'done', ...result });
        context.log.info(
          { blobKey, findings: result.findings.length, words: result.words, ms: result.ms },
          'personal-data scan done',
        );
      } catch (error) {
        // Busy or unavailable recognition is tried again; a file that cannot be read is not.
        if (error instanceof AppError && error.code !== 'not_ready') {
          await saveScan(deps, accountId, blobKey, {
            status: 'failed',
            code: error.code,
            message: error.message,
          });
          return;
        }
        throw error;
      }
    },
    async ({ accountId, blobKey }, error) => {
      await saveScan(deps, accountId, blobKey, {
        status: 'failed',
        code: 'not_ready',
        message: `Text recognition is unavailable: ${error instanceof Error ? error.message : String(error)}; try again.`,
      });
    },
  );
}
