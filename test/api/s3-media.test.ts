// Media on S3 end to end, whatever TEST_S3 says: uploads are streamed into the bucket and
// downloads answer Range and ETag as on disk; presigned redirects when configured; start-up
// refuses an unreachable bucket.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedMediaUrl } from '../../src/server/channels/adapter-deps.js';
import { createRuntime } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/config.js';
import { releaseBlob } from '../../src/server/domain/blobs.js';
import { transact } from '../../src/server/domain/transaction.js';
import type { Attachment } from '../../src/shared/api-schemas.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';

let server: S3TestServer;
let bucket: string;
let h: Harness;
let agent: Client;
// Over the 5 MiB part size: staged by a real multipart upload.
const bytes = randomBytes(6 * 1024 * 1024 + 123);
let file: Attachment;

beforeAll(async () => {
  server = await startS3Server();
  bucket = await server.createBucket();
  h = await createHarness({ env: server.env(bucket) });
  const account = await buildAccount(h);
  agent = await signIn(h, account.admin.email, account.admin.password);
  const response = await agent.upload<{ attachments: Attachment[] }>([{ name: 'backup.bin', bytes }]);
  expect(response.status).toBe(201);
  file = response.body.attachments[0]!;
  await h.deps.queue.idle();
});
afterAll(async () => {
  await h?.close();
  await server?.close();
});

describe('media on S3', () => {
  it('reports the S3 engine in /readyz', async () => {
    const ready = (await (await fetch(`${h.url}/readyz`)).json()) as {
      engines: { blobs: { kind: string; ok: boolean } };
    };
    expect(ready.engines.blobs).toEqual({ kind: 's3', ok: true });
  });

  it('stores an upload under its content address and nothing in staging', async () => {
    const keys = await server.listKeys(bucket);
    const row = await h.deps.db.selectFrom('blobs').selectAll().where('size', '=', bytes.length).execute();
    expect(row).toHaveLength(1);
    const key = row[0]!.key;
    expect(keys).toContain(`blobs/${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`);
    expect(keys.filter((name) => name.startsWith('staging/'))).toEqual([]);
  });

  it('downloads the bytes with ETag, 304, Range and HEAD', async () => {
    const path = `/api/attachments/${file.id}/content`;
    const whole = await agent.request('GET', path);
    expect(whole.status).toBe(200);
    expect(whole.raw.equals(bytes)).toBe(true);
    const etag = whole.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect((await agent.request('GET', path, undefined, { 'if-none-match': etag })).status).toBe(304);
    const part = await agent.request('GET', path, undefined, { range: 'bytes=5242870-5242889' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 5242870-5242889/${bytes.length}`);
    expect(part.raw.equals(bytes.subarray(5242870, 5242890))).toBe(true);
    const first = await agent.request('GET', path, undefined, { range: 'bytes=0-0' });
    expect(first.raw.equals(bytes.subarray(0, 1))).toBe(true);
    const head = await agent.request('HEAD', path);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
  });

  it('keeps provider-facing signed links working (streamed through the server)', async () => {
    const url = signedMediaUrl(h.deps, file.id, 'original', file.name);
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('deletes the object when the last reference is released', async () => {
    const { key } = await h.deps.blobs.putBuffer(Buffer.from('released soon'));
    await transact(h.deps, async (tx) => {
      await tx.insertInto('blobs').values({ key, size: 13, refCount: 1, createdAt: Date.now() }).execute();
    });
    await transact(h.deps, (tx, effects) => releaseBlob(tx, effects, key));
    await h.deps.queue.idle();
    expect(await h.deps.blobs.stat(key)).toBeNull();
  });

  it('redirects an authorized download to a presigned URL when S3_PRESIGNED_DOWNLOADS is on', async () => {
    const presigning = await createHarness({
      env: { ...server.env(bucket), S3_PRESIGNED_DOWNLOADS: '1' },
      jobs: false,
    });
    try {
      const account = await buildAccount(presigning);
      const other = await signIn(presigning, account.admin.email, account.admin.password);
      const small = randomBytes(5000);
      const uploaded = await other.upload<{ attachments: Attachment[] }>([{ name: 'a.bin', bytes: small }]);
      const id = uploaded.body.attachments[0]!.id;
      const headers = { cookie: other.cookie! };
      const path = `${presigning.url}/api/attachments/${id}/content`;
      const redirect = await fetch(path, { headers, redirect: 'manual' });
      expect(redirect.status).toBe(302);
      expect(redirect.headers.get('cache-control')).toBe('private, no-store');
      const location = redirect.headers.get('location')!;
      expect(location.startsWith(`${server.endpoint}/${bucket}/blobs/`)).toBe(true);
      const direct = await fetch(location, { headers: { range: 'bytes=10-19' } });
      expect(direct.status).toBe(206);
      expect(Buffer.from(await direct.arrayBuffer()).equals(small.subarray(10, 20))).toBe(true);
      // Another account's agent is refused before any URL is made.
      const stranger = await buildAccount(presigning, 'Other');
      const outsider = await signIn(presigning, stranger.admin.email, stranger.admin.password);
      const refused = await fetch(path, { headers: { cookie: outsider.cookie! }, redirect: 'manual' });
      expect(refused.status).toBe(404);
      // HEAD and conditional requests are still answered by the server itself.
      expect((await fetch(path, { method: 'HEAD', headers, redirect: 'manual' })).status).toBe(200);
      const etag =
        redirect.headers.get('etag') ?? (await fetch(path, { method: 'HEAD', headers })).headers.get('etag')!;
      const fresh = await fetch(path, { headers: { ...headers, 'if-none-match': etag }, redirect: 'manual' });
      expect(fresh.status).toBe(304);
      // Provider-facing signed links stream, they never redirect.
      const signed = await fetch(signedMediaUrl(presigning.deps, id, 'original', 'a.bin'), {
        redirect: 'manual',
      });
      expect(signed.status).toBe(200);
    } finally {
      await presigning.close();
    }
  });

  it('refuses to start when the bucket is unreachable, naming S3_BUCKET and S3_ENDPOINT', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 's3-start-'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir, ...server.env('missing-bucket') });
      await expect(createRuntime(config, { log: h.deps.log })).rejects.toThrow(
        /The S3 bucket "missing-bucket" at http:\/\/127\.0\.0\.1:\d+ is not reachable: the bucket does not exist\. Check S3_BUCKET and S3_ENDPOINT\./,
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
