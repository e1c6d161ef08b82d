import { randomBytes } from 'node:crypto';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3BlobStore, type S3BlobStore } from '../../src/server/infra/blobs/s3-blob-store.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { blobStoreContract } from './blob-store-contract.js';

let server: S3TestServer;
let dataDir: string;
let bucket: string;
let store: S3BlobStore;

beforeAll(async () => {
  server = await startS3Server();
  dataDir = await mkdtemp(join(tmpdir(), 's3-blobs-'));
  bucket = await server.createBucket();
  store = createS3BlobStore({ config: server.config(bucket), dataDir });
});
afterAll(async () => {
  store?.close?.();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('S3 blob store', () => {
  blobStoreContract(() => ({
    store,
    dataDir,
    storedKeys: async () =>
      (await server.listKeys(bucket, 'blobs/')).map((key) => key.slice(key.lastIndexOf('/') + 1)),
    stagedLeftovers: () => server.listKeys(bucket, 'staging/'),
  }));

  it('keeps blobs under blobs/ab/cd/<sha256>', async () => {
    const { key } = await store.putBuffer(Buffer.from('sharded keys'));
    expect(store.objectKey(key)).toBe(`blobs/${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`);
    expect(await server.listKeys(bucket, store.objectKey(key))).toEqual([store.objectKey(key)]);
  });

  it('stages under staging/ until the commit copies the object into place', async () => {
    const staged = await store.stage(Readable.from([randomBytes(7 * 1024 * 1024)]), {
      maxBytes: 8 * 1024 * 1024,
    });
    expect(await server.listKeys(bucket, 'staging/')).toHaveLength(1);
    expect(await store.stat(staged.sha256)).toBeNull();
    const key = await staged.commit();
    expect(await store.stat(key)).toEqual({ size: 7 * 1024 * 1024 });
    expect(await server.listKeys(bucket, 'staging/')).toEqual([]);
    await expect(access(staged.localPath)).rejects.toThrow();
  });

  it('removes the temporary copy lent to a tool', async () => {
    const { key } = await store.putBuffer(randomBytes(1000));
    const path = await store.withLocalFile(key, async (local) => local);
    await expect(access(path)).rejects.toThrow();
  });

  it('prunes staging objects a crash left behind, once they are old enough', async () => {
    const staged = await store.stage(Readable.from([randomBytes(1000)]), { maxBytes: 2000 });
    expect(await store.pruneStaging!(Date.now() - 3600_000)).toBe(0);
    expect(await server.listKeys(bucket, 'staging/')).toHaveLength(1);
    expect(await store.pruneStaging!(Date.now() + 60_000)).toBe(1);
    expect(await server.listKeys(bucket, 'staging/')).toEqual([]);
    await staged.discard();
  });

  it('hands out presigned URLs only when S3_PRESIGNED_DOWNLOADS is on', async () => {
    const bytes = randomBytes(4000);
    const { key } = await store.putBuffer(bytes);
    const options = {
      expiresInSeconds: 60,
      contentType: 'application/octet-stream',
      contentDisposition: 'attachment; filename="x.bin"',
      cacheControl: 'private, max-age=60',
    };
    expect(await store.downloadUrl!(key, options)).toBeNull();
    const presigning = createS3BlobStore({
      config: { ...server.config(bucket), presignedDownloads: true },
      dataDir,
    });
    try {
      const url = await presigning.downloadUrl!(key, options);
      expect(url).toContain('X-Amz-Signature=');
      const whole = await fetch(url!);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-disposition')).toBe('attachment; filename="x.bin"');
      expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
      const part = await fetch(url!, { headers: { range: 'bytes=100-199' } });
      expect(part.status).toBe(206);
      expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    } finally {
      presigning.close?.();
    }
  });

  it('names S3_BUCKET and S3_ENDPOINT when the bucket is unreachable', async () => {
    const missing = createS3BlobStore({ config: server.config('no-such-bucket'), dataDir });
    await expect(missing.ping()).rejects.toThrow(
      /S3 bucket "no-such-bucket" at http:\/\/127\.0\.0\.1:\d+ is not reachable: the bucket does not exist\. Check S3_BUCKET and S3_ENDPOINT\./,
    );
    missing.close?.();
    const closed = createS3BlobStore({
      config: { ...server.config(bucket), endpoint: 'http://127.0.0.1:9' },
      dataDir,
    });
    await expect(closed.ping()).rejects.toThrow(/Check S3_BUCKET and S3_ENDPOINT/);
    closed.close?.();
  });
});
