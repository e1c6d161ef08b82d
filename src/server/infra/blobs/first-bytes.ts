// A pass-through that lets only the first `limit` bytes through and drops the rest.
import { Transform, type TransformCallback } from 'node:stream';

export class FirstBytes extends Transform {
  private remaining: number;

  constructor(limit: number) {
    super();
    this.remaining = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.remaining <= 0) {
      callback();
      return;
    }
    const part = chunk.length > this.remaining ? chunk.subarray(0, this.remaining) : chunk;
    this.remaining -= part.length;
    callback(null, part);
  }
}
