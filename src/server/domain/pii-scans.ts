// Personal-data scans of images: kept per account and blob in the database, so any instance
// answers a repeated scan at once; otherwise queued as a background job (one per blob), and
// waited for a short while so that a quick scan still answers in one call.
import { z } from 'zod';
import { findingSchema, type PiiScanResponse } from '../../shared/redaction-api.js';
import type { Deps } from '../context.js';
import { AppError, errorStatus, type ErrorCode } from '../errors.js';
import type { Row } from '../infra/db/schema.js';
import { piiScanJob } from '../media/media-jobs.js';
import { maxInputPixels } from '../media/redaction/ocr-preprocess.js';
import { scanVersion } from '../media/redaction/scan-image.js';
import type { Finding } from '../media/redaction/types.js';
import { getAttachmentRow } from './attachments.js';
import { parseJsonArray } from './json.js';

/** Image types the scanner decodes (sharp). */
export const SCANNABLE_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/tiff',
  'image/avif',
]);

/** How long a scan request waits for a queued scan before answering `pending`. */
export const SCAN_WAIT_MS = 1_500;
const POLL_MS = 100;

const findingsSchema = z.array(findingSchema);

export type StoredScan =
  | { status: 'done'; width: number; height: number; findings: Finding[] }
  | { status: 'failed'; code: ErrorCode; message: string };

const isErrorCode = (code: string | null): code is ErrorCode => code !== null && code in errorStatus;

function toStoredScan(row: Row<'piiScans'>): StoredScan {
  if (row.status === 'failed') {
    return {
      status: 'failed',
      code: isErrorCode(row.errorCode) ? row.errorCode : 'file_corrupt',
      message: row.errorMessage ?? 'The image could not be scanned.',
    };
  }
  const parsed = findingsSchema.safeParse(parseJsonArray(row.findings));
  return {
    status: 'done',
    width: row.width ?? 0,
    height: row.height ?? 0,
    findings: parsed.success ? parsed.data : [],
  };
}

export async function readScan(
  deps: Pick<Deps, 'db'>,
  accountId: string,
  blobKey: string,
): Promise<StoredScan | undefined> {
  const row = await deps.db
    .selectFrom('piiScans')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('blobKey', '=', blobKey)
    .where('version', '=', scanVersion)
    .executeTakeFirst();
  return row ? toStoredScan(row) : undefined;
}

export type ScanOutcome =
  | { status: 'done'; width: number; height: number; findings: Finding[]; words: number; ms: number }
  | { status: 'failed'; code: ErrorCode; message: string };

/** Keeps a scan's outcome (replacing an older one for the same blob). */
export async function saveScan(
  deps: Pick<Deps, 'db' | 'now'>,
  accountId: string,
  blobKey: string,
  outcome: ScanOutcome,
): Promise<void> {
  const values =
    outcome.status === 'done'
      ? {
          status: 'done' as const,
          width: outcome.width,
          height: outcome.height,
          findings: JSON.stringify(outcome.findings),
          errorCode: null,
          errorMessage: null,
          words: outcome.words,
          ms: outcome.ms,
        }
      : {
          status: 'failed' as const,
          width: null,
          height: null,
          findings: '[]',
          errorCode: outcome.code,
          errorMessage: outcome.message,
          words: 0,
          ms: 0,
        };
  await deps.db
    .insertInto('piiScans')
    .values({ accountId, blobKey, version: scanVersion, createdAt: deps.now(), ...values })
    .onConflict((oc) =>
      oc
        .columns(['accountId', 'blobKey'])
        .doUpdateSet({ version: scanVersion, createdAt: deps.now(), ...values }),
    )
    .execute();
}

async function forgetScan(deps: Pick<Deps, 'db'>, accountId: string, blobKey: string): Promise<void> {
  await deps.db
    .deleteFrom('piiScans')
    .where('accountId', '=', accountId)
    .where('blobKey', '=', blobKey)
    .execute();
}

/** The scan as the API answers it; a failed scan becomes its error. */
async function answer(deps: Pick<Deps, 'db'>, accountId: string, blobKey: string, scan: StoredScan) {
  if (scan.status === 'failed') {
    // Recognition was busy or unavailable: the next request tries again.
    if (scan.code === 'not_ready') await forgetScan(deps, accountId, blobKey);
    throw new AppError(scan.code, scan.message);
  }
  const response: PiiScanResponse = {
    status: 'done',
    width: scan.width,
    height: scan.height,
    findings: scan.findings,
  };
  return response;
}

const pending: PiiScanResponse = { status: 'pending', width: null, height: null, findings: [] };

/**
 * Answers `POST /api/attachments/:id/pii-scan`: the stored scan of the attachment's bytes, or
 * (after queueing a scan and waiting up to `waitMs` for it) `pending`.
 */
export async function requestScan(
  deps: Deps,
  accountId: string,
  attachmentId: string,
  waitMs = SCAN_WAIT_MS,
): Promise<PiiScanResponse> {
  const row = await getAttachmentRow(deps, accountId, attachmentId);
  if (row.state === 'deleted') throw new AppError('gone', `"${row.name}" was deleted.`);
  if (!SCANNABLE_TYPES.has(row.contentType)) {
    throw new AppError(
      'unsupported_media',
      `Only images (JPEG, PNG, WebP, GIF, TIFF, AVIF) can be scanned for personal data; "${row.name}" is ${row.contentType}.`,
    );
  }
  if (row.width !== null && row.height !== null && row.width * row.height > maxInputPixels) {
    throw new AppError(
      'image_too_large',
      `"${row.name}" has ${Math.round((row.width * row.height) / 1e6)} megapixels; images above ${maxInputPixels / 1e6} are not scanned.`,
    );
  }
  const blobKey = row.blobKey;
  if (!blobKey)
    throw new AppError('conflict', `"${row.name}" has not been downloaded yet; try again shortly.`);
  const cached = await readScan(deps, accountId, blobKey);
  if (cached) return answer(deps, accountId, blobKey, cached);
  await deps.queue.enqueue(deps.db, piiScanJob, { accountId, blobKey });
  deps.queue.notify();
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))),
    );
    const scan = await readScan(deps, accountId, blobKey);
    if (scan) return answer(deps, accountId, blobKey, scan);
  }
  return pending;
}
