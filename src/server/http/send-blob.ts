// One way to answer with stored bytes: ETag and conditional GET, single byte ranges, HEAD,
// nosniff, a sandboxing CSP, and inline only for types a browser shows safely. Where the blob
// store hands out presigned URLs (S3_PRESIGNED_DOWNLOADS), an authorized GET may instead be
// redirected to one, after the same checks.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../context.js';
import { AppError } from '../errors.js';
import { contentDisposition } from '../media/sanitize-filename.js';
import { isSafeInline } from '../media/sniff.js';

export interface BlobResponse {
  blobKey: string;
  size: number;
  contentType: string;
  name: string;
  /** Forces a download even for inline-safe types. */
  download?: boolean;
  cacheControl: string;
  /** The caller has authorized the reader: a GET may be redirected to a presigned URL. */
  redirect?: boolean;
}

/** Presigned URLs live long enough to start a download or a video, not to be shared. */
export const PRESIGNED_TTL_SECONDS = 300;

function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from, to] = match;
  if (!from && !to) return null;
  let start: number;
  let end: number;
  if (!from) {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to ? Math.min(Number(to), size - 1) : size - 1;
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export async function sendBlob(
  deps: Pick<Deps, 'blobs'>,
  request: FastifyRequest,
  reply: FastifyReply,
  blob: BlobResponse,
): Promise<FastifyReply> {
  const etag = `"${blob.blobKey}"`;
  const inline = !blob.download && isSafeInline(blob.contentType);
  const disposition = contentDisposition(inline ? 'inline' : 'attachment', blob.name);
  const ifNoneMatch = request.headers['if-none-match'];
  const fresh = ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
  if (blob.redirect && !fresh && request.method === 'GET' && deps.blobs.downloadUrl) {
    const url = await deps.blobs.downloadUrl(blob.blobKey, {
      expiresInSeconds: PRESIGNED_TTL_SECONDS,
      contentType: blob.contentType,
      contentDisposition: disposition,
      cacheControl: blob.cacheControl,
    });
    if (url) return reply.header('Cache-Control', 'private, no-store').redirect(url, 302);
  }
  void reply
    .header('ETag', etag)
    .header('Accept-Ranges', 'bytes')
    .header('Cache-Control', blob.cacheControl)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Disposition', disposition)
    .header('Content-Type', blob.contentType);
  if (blob.contentType !== 'application/pdf')
    void reply.header('Content-Security-Policy', "default-src 'none'; sandbox");
  if (fresh) return reply.status(304).send();
  const rangeHeader = request.headers.range;
  const ifRange = request.headers['if-range'];
  const range = rangeHeader && (!ifRange || ifRange === etag) ? parseRange(rangeHeader, blob.size) : null;
  if (range === 'unsatisfiable') {
    return reply.status(416).header('Content-Range', `bytes */${blob.size}`).send();
  }
  const stat = await deps.blobs.stat(blob.blobKey);
  if (!stat) throw new AppError('gone', `The bytes of "${blob.name}" are no longer stored.`);
  if (range) {
    void reply
      .status(206)
      .header('Content-Range', `bytes ${range.start}-${range.end}/${blob.size}`)
      .header('Content-Length', String(range.end - range.start + 1));
    if (request.method === 'HEAD') return reply.send();
    return reply.send(await deps.blobs.read(blob.blobKey, range));
  }
  void reply.header('Content-Length', String(blob.size));
  if (request.method === 'HEAD') return reply.send();
  return reply.send(await deps.blobs.read(blob.blobKey));
}
