// Blobs on the local disk: DATA_DIR/blobs/ab/cd/<sha256>, staged in DATA_DIR/tmp and moved
// into place with a rename, so a reader never sees half a file.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newToken } from '../ids.js';
import type { BlobStat, BlobStore, ByteRange, StagedBlob } from './blob-store.js';
import { BatchedFileWriter } from './batched-file-writer.js';
import { MeteredStream } from './metered-stream.js';

const KEY_PATTERN = /^[0-9a-f]{64}$/;

export function createLocalBlobStore(dataDir: string): BlobStore {
  const root = join(dataDir, 'blobs');
  const tmp = join(dataDir, 'tmp');

  const pathOf = (key: string): string => {
    if (!KEY_PATTERN.test(key)) throw new Error(`Not a blob key: ${key}`);
    return join(root, key.slice(0, 2), key.slice(2, 4), key);
  };

  const exists = async (path: string): Promise<boolean> =>
    access(path).then(
      () => true,
      () => false,
    );

  const place = async (from: string, key: string): Promise<void> => {
    const target = pathOf(key);
    if (await exists(target)) {
      await rm(from, { force: true });
      return;
    }
    await mkdir(join(root, key.slice(0, 2), key.slice(2, 4)), { recursive: true });
    await rename(from, target);
  };

  return {
    kind: 'local',

    async stage(source: Readable, { maxBytes }): Promise<StagedBlob> {
      await mkdir(tmp, { recursive: true });
      const localPath = join(tmp, `stage-${newToken(12)}`);
      const meter = new MeteredStream(maxBytes);
      try {
        await pipeline(source, meter, new BatchedFileWriter(localPath));
      } catch (error) {
        source.resume();
        await rm(localPath, { force: true });
        throw error;
      }
      const digest = meter.digest();
      let committed = false;
      return {
        ...digest,
        localPath,
        async commit() {
          if (!committed) {
            await place(localPath, digest.sha256);
            committed = true;
          }
          return digest.sha256;
        },
        async discard() {
          if (!committed) await rm(localPath, { force: true });
        },
      };
    },

    async putBuffer(bytes: Buffer) {
      const key = createHash('sha256').update(bytes).digest('hex');
      if (!(await exists(pathOf(key)))) {
        await mkdir(tmp, { recursive: true });
        const staging = join(tmp, `put-${newToken(12)}`);
        await writeFile(staging, bytes, { flag: 'wx' });
        await place(staging, key);
      }
      return { key, size: bytes.length };
    },

    async read(key: string, range?: ByteRange): Promise<Readable> {
      const path = pathOf(key);
      return range ? createReadStream(path, { start: range.start, end: range.end }) : createReadStream(path);
    },

    async stat(key: string): Promise<BlobStat | null> {
      try {
        const info = await stat(pathOf(key));
        return { size: info.size };
      } catch {
        return null;
      }
    },

    async delete(key: string) {
      await rm(pathOf(key), { force: true });
    },

    async withLocalFile(key, work) {
      return work(pathOf(key));
    },

    async ping() {
      await mkdir(root, { recursive: true });
      await access(root);
    },
  };
}
