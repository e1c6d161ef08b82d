// A file sink that gathers incoming chunks and writes them about 1 MiB at a time with one
// writev each. Sockets deliver 64 KiB chunks; written one by one, each pays the file system's
// per-write cost. One batch is written while the next fills, so at most two are held.
import { open, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';

/**
 * Measured with 200 MB arriving over loopback on ext4, five rounds each, interleaved: 1 MiB
 * batches took 20 % less time than Node's write stream; 4 MiB batches took twice as long.
 */
export const BATCH_BYTES = 1024 * 1024;
/** Stays under IOV_MAX (1024 on Linux) however small the chunks are. */
const BATCH_CHUNKS = 512;

type Callback = (error?: Error | null) => void;

export class BatchedFileWriter extends Writable {
  private handle: FileHandle | undefined;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private writing: Promise<void> = Promise.resolve();

  /** `flags` as for fs.open; the default refuses to overwrite an existing file. */
  constructor(
    private readonly path: string,
    private readonly flags = 'wx',
  ) {
    super({ highWaterMark: BATCH_BYTES });
  }

  override _construct(callback: Callback): void {
    open(this.path, this.flags).then((handle) => {
      this.handle = handle;
      callback();
    }, callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: Callback): void {
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
    if (this.batchBytes < BATCH_BYTES && this.batch.length < BATCH_CHUNKS) {
      callback();
      return;
    }
    this.startBatch().then(() => callback(), callback);
  }

  override _final(callback: Callback): void {
    this.startBatch()
      .then(() => this.writing)
      .then(() => this.closeHandle())
      .then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: Callback): void {
    this.batch = [];
    this.writing
      .catch(() => undefined)
      .then(() => this.closeHandle())
      .then(
        () => callback(error),
        () => callback(error),
      );
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  /** Waits for the batch being written, then starts writing the gathered one without waiting. */
  private async startBatch(): Promise<void> {
    await this.writing;
    if (this.batch.length === 0) return;
    const handle = this.handle;
    if (!handle) throw new Error(`${this.path} is closed.`);
    const chunks = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    this.writing = writeAll(handle, chunks);
    // A failed write is reported to the next batch or to _final; until then it is not unhandled.
    this.writing.catch(() => undefined);
  }
}

/** writev may write less than asked; go on from where it stopped. */
async function writeAll(handle: FileHandle, chunks: Buffer[]): Promise<void> {
  let rest = chunks;
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest);
    if (bytesWritten === 0) throw new Error('The disk accepted no bytes.');
    let skip = bytesWritten;
    const next: Buffer[] = [];
    for (const chunk of rest) {
      if (skip >= chunk.length) {
        skip -= chunk.length;
      } else {
        next.push(skip > 0 ? chunk.subarray(skip) : chunk);
        skip = 0;
      }
    }
    rest = next;
  }
}
