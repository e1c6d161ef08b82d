// The redaction API as the agent app calls it: scan an image for personal data (asking again
// while the scan is pending), burn boxes into a copy (or, for an admin, into a sent
// attachment in place), and delete an attachment.
import type { Attachment } from '../../shared/api-schemas.js';
import type { PiiScanResponse, RedactionBox } from '../../shared/redaction-api.js';
import { api, ApiError } from '../api/http.js';

export const SCAN_POLL_MS = 700;

const wait = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ApiError(0, { code: 'aborted', message: 'The scan was cancelled.' }));
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new ApiError(0, { code: 'aborted', message: 'The scan was cancelled.' }));
      },
      { once: true },
    );
  });

/** Scans until the server has the result (or the signal aborts). */
export async function scanForPersonalData(
  attachmentId: string,
  options: { signal?: AbortSignal; pollMs?: number } = {},
): Promise<PiiScanResponse> {
  for (;;) {
    const result = await api<PiiScanResponse>('POST', `/api/attachments/${attachmentId}/pii-scan`);
    if (options.signal?.aborted)
      throw new ApiError(0, { code: 'aborted', message: 'The scan was cancelled.' });
    if (result.status === 'done') return result;
    await wait(options.pollMs ?? SCAN_POLL_MS, options.signal);
  }
}

/** The attachment in a redact answer, which has an upload's shape (or is the attachment). */
export function attachmentOf(body: unknown): Attachment {
  if (body && typeof body === 'object') {
    if ('attachments' in body && Array.isArray(body.attachments) && body.attachments[0])
      return body.attachments[0] as Attachment;
    if ('attachment' in body && body.attachment && typeof body.attachment === 'object')
      return body.attachment as Attachment;
    if ('id' in body && 'contentType' in body) return body as Attachment;
  }
  throw new ApiError(500, { code: 'server_error', message: 'The redacted image was not returned.' });
}

/** Burns the boxes into a new attachment (a draft's copy) or, with `replace`, into this one. */
export async function redactAttachment(
  attachmentId: string,
  boxes: RedactionBox[],
  options: { replace?: boolean } = {},
): Promise<Attachment> {
  const body = await api<unknown>('POST', `/api/attachments/${attachmentId}/redact`, {
    boxes,
    ...(options.replace ? { replace: true } : {}),
  });
  return attachmentOf(body);
}

export async function deleteAttachment(attachmentId: string): Promise<Attachment | null> {
  const body = await api<unknown>('DELETE', `/api/attachments/${attachmentId}`);
  try {
    return body ? attachmentOf(body) : null;
  } catch {
    return null;
  }
}

/** The editor offers a scan at once for the formats screenshots come in. */
export const isScreenshotType = (contentType: string): boolean =>
  contentType === 'image/png' || contentType === 'image/webp';

/** Images the editor can open (the browser decodes them and the server can burn them). */
export const isRedactableType = (contentType: string): boolean =>
  ['image/png', 'image/jpeg', 'image/webp'].includes(contentType);
