// A pass-through that hashes, counts, keeps the first and last bytes, and cuts the stream the
// moment it passes the size cap.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../errors.js';

const HEAD_BYTES = 64 * 1024;
const TAIL_BYTES = 32;

export class MeteredStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;
  private tailBytes = Buffer.alloc(0);
  size = 0;

  constructor(
    private readonly maxBytes: number,
    highWaterMark = 1024 * 1024,
  ) {
    super({ highWaterMark });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(
        new AppError(
          'payload_too_large',
          `The file is larger than the limit of ${formatBytes(this.maxBytes)}.`,
          {
            limitBytes: this.maxBytes,
          },
        ),
      );
      return;
    }
    this.hash.update(chunk);
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
      this.headChunks.push(part);
      this.headLength += part.length;
    }
    this.tailBytes =
      chunk.length >= TAIL_BYTES
        ? Buffer.from(chunk.subarray(chunk.length - TAIL_BYTES))
        : Buffer.concat([this.tailBytes, chunk]).subarray(-TAIL_BYTES);
    callback(null, chunk);
  }

  digest(): { sha256: string; size: number; head: Buffer; tail: Buffer } {
    return {
      sha256: this.hash.digest('hex'),
      size: this.size,
      head: Buffer.concat(this.headChunks),
      tail: this.tailBytes,
    };
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / 1024 ** 2)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
