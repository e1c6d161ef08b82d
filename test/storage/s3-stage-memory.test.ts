// 200 MB streamed through stage() into S3 keeps the process's memory flat: the upload holds a
// few 5 MiB parts, the hash and the spool file take the rest as it passes.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3BlobStore, type S3BlobStore } from '../../src/server/infra/blobs/s3-blob-store.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { countedSource } from './blob-store-contract.js';

const TOTAL = 200 * 1024 * 1024;
const MB = 1024 * 1024;

let server: S3TestServer;
let dataDir: string;
let store: S3BlobStore;

beforeAll(async () => {
  server = await startS3Server();
  dataDir = await mkdtemp(join(tmpdir(), 's3-memory-'));
  store = createS3BlobStore({ config: server.config(await server.createBucket()), dataDir });
});
afterAll(async () => {
  store?.close?.();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('S3 staging memory', () => {
  it('streams 200 MB through stage() with bounded memory growth', { timeout: 240_000 }, async () => {
    const expected = createHash('sha256');
    for (let sent = 0; sent < TOTAL; sent += 64 * 1024) expected.update(Buffer.alloc(64 * 1024, 3));
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    try {
      const staged = await store.stage(countedSource(TOTAL, 3).stream, { maxBytes: 300 * MB });
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(staged.size).toBe(TOTAL);
      expect(staged.sha256).toBe(expected.digest('hex'));
      const key = await staged.commit();
      expect(await store.stat(key)).toEqual({ size: TOTAL });
    } finally {
      clearInterval(sampler);
    }
    const growthMb = (peak - baseline) / MB;
    console.log(`S3 stage of 200 MB: RSS grew by ${growthMb.toFixed(1)} MB`);
    expect(growthMb).toBeLessThan(120);
  });
});
