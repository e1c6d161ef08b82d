import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_BYTES, BatchedFileWriter } from '../../src/server/infra/blobs/batched-file-writer.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'batched-writer-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The file descriptors this process holds open on `path`. */
async function descriptorsOn(path: string): Promise<string[]> {
  const found: string[] = [];
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target === path) found.push(fd);
  }
  return found;
}

describe('BatchedFileWriter', () => {
  it('writes every byte in order, whatever the chunk sizes', async () => {
    // 64 KiB socket-sized chunks, tiny chunks (more than the iovec cap per batch) and one chunk
    // larger than a batch.
    const chunks = [
      ...Array.from({ length: 40 }, () => randomBytes(64 * 1024)),
      ...Array.from({ length: 1500 }, () => randomBytes(7)),
      randomBytes(BATCH_BYTES * 3 + 11),
      randomBytes(1),
    ];
    const path = join(dir, 'mixed.bin');
    await pipeline(Readable.from(chunks), new BatchedFileWriter(path));
    const written = await readFile(path);
    expect(written.length).toBe(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    expect(sha(written)).toBe(sha(Buffer.concat(chunks)));
  });

  it('writes an empty stream as an empty file', async () => {
    const path = join(dir, 'empty.bin');
    await pipeline(Readable.from([]), new BatchedFileWriter(path));
    expect((await readFile(path)).length).toBe(0);
  });

  it('refuses to overwrite an existing file and leaves it as it was', async () => {
    const path = join(dir, 'existing.bin');
    await writeFile(path, 'keep me');
    await expect(
      pipeline(Readable.from([Buffer.from('new')]), new BatchedFileWriter(path)),
    ).rejects.toMatchObject({
      code: 'EEXIST',
    });
    expect(await readFile(path, 'utf8')).toBe('keep me');
  });

  it('closes its file when the source fails midway', async () => {
    const path = join(dir, 'broken.bin');
    async function* failing() {
      yield randomBytes(BATCH_BYTES + 5);
      yield randomBytes(1000);
      throw new Error('the client went away');
    }
    const writer = new BatchedFileWriter(path);
    const closed = new Promise((resolve) => writer.on('close', resolve));
    await expect(pipeline(Readable.from(failing()), writer)).rejects.toThrow('the client went away');
    await closed;
    expect(await descriptorsOn(path)).toEqual([]);
  });
});
