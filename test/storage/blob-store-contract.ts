// The behaviours every BlobStore keeps, run against each implementation: content addressing,
// idempotent commits, range reads, a size cap that cuts mid-stream and leaves nothing behind,
// deletion, and local files for tools.
import { createHash, randomBytes } from 'node:crypto';
import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import type { BlobStore } from '../../src/server/infra/blobs/blob-store.js';

export interface StoreUnderTest {
  store: BlobStore;
  dataDir: string;
  /** The blob keys (SHA-256) the store holds now. */
  storedKeys(): Promise<string[]>;
  /** Anything the store keeps that is neither a blob nor in DATA_DIR/tmp (e.g. S3 staging objects). */
  stagedLeftovers(): Promise<string[]>;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `total` bytes in 64 KiB chunks, counting how many were pulled. */
export function countedSource(total: number, fill = 1): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const chunk = Buffer.alloc(64 * 1024, fill);
  function* generate() {
    while (pulled < total) {
      const part = chunk.subarray(0, Math.min(chunk.length, total - pulled));
      pulled += part.length;
      yield part;
    }
  }
  return { stream: Readable.from(generate(), { objectMode: false }), pulled: () => pulled };
}

const spoolFiles = async (dataDir: string) => readdir(join(dataDir, 'tmp')).catch(() => [] as string[]);

export function blobStoreContract(setup: () => StoreUnderTest): void {
  it('stages, hashes and commits to the content address', async () => {
    const { store } = setup();
    const bytes = randomBytes(200_000);
    const staged = await store.stage(Readable.from([bytes.subarray(0, 70_000), bytes.subarray(70_000)]), {
      maxBytes: 1_000_000,
    });
    expect(staged.sha256).toBe(sha256(bytes));
    expect(staged.size).toBe(bytes.length);
    expect(staged.head.equals(bytes.subarray(0, 64 * 1024))).toBe(true);
    expect(staged.tail.equals(bytes.subarray(-32))).toBe(true);
    expect((await readFile(staged.localPath)).equals(bytes)).toBe(true);
    const key = await staged.commit();
    expect(key).toBe(sha256(bytes));
    expect(await store.stat(key)).toEqual({ size: bytes.length });
    expect((await readAll(await store.read(key))).equals(bytes)).toBe(true);
  });

  it('commits idempotently and stores the same bytes once', async () => {
    const t = setup();
    const bytes = randomBytes(10_000);
    const first = await t.store.stage(Readable.from([bytes]), { maxBytes: 20_000 });
    const key = await first.commit();
    expect(await first.commit()).toBe(key);
    await first.discard();
    const second = await t.store.stage(Readable.from([bytes]), { maxBytes: 20_000 });
    expect(await second.commit()).toBe(key);
    expect((await t.storedKeys()).filter((stored) => stored === key)).toHaveLength(1);
    expect(await t.store.putBuffer(bytes)).toEqual({ key, size: bytes.length });
    expect((await t.storedKeys()).filter((stored) => stored === key)).toHaveLength(1);
    expect(await t.stagedLeftovers()).toEqual([]);
    expect(await spoolFiles(t.dataDir)).toEqual([]);
  });

  it('reads byte ranges (inclusive end)', async () => {
    const { store } = setup();
    const bytes = randomBytes(100_000);
    const { key } = await store.putBuffer(bytes);
    expect((await readAll(await store.read(key, { start: 0, end: 0 }))).equals(bytes.subarray(0, 1))).toBe(
      true,
    );
    const middle = await readAll(await store.read(key, { start: 12_345, end: 67_889 }));
    expect(middle.equals(bytes.subarray(12_345, 67_890))).toBe(true);
    const last = await readAll(await store.read(key, { start: 99_990, end: 99_999 }));
    expect(last.equals(bytes.subarray(99_990))).toBe(true);
  });

  it('cuts an oversize stream mid-way with payload_too_large and leaves nothing behind', async () => {
    const t = setup();
    const before = await t.storedKeys();
    // Past the 5 MiB part size, so an S3 store has started a multipart upload by then.
    const source = countedSource(40 * 1024 * 1024, 9);
    await expect(t.store.stage(source.stream, { maxBytes: 12 * 1024 * 1024 })).rejects.toMatchObject({
      code: 'payload_too_large',
    });
    expect(source.pulled()).toBeLessThan(20 * 1024 * 1024);
    expect(await t.storedKeys()).toEqual(before);
    expect(await t.stagedLeftovers()).toEqual([]);
    expect(await spoolFiles(t.dataDir)).toEqual([]);
  });

  it('discards staged bytes', async () => {
    const t = setup();
    const staged = await t.store.stage(Readable.from([randomBytes(5000)]), { maxBytes: 10_000 });
    await staged.discard();
    await expect(access(staged.localPath)).rejects.toThrow();
    expect(await t.stagedLeftovers()).toEqual([]);
    expect(await t.store.stat(staged.sha256)).toBeNull();
    await expect(staged.commit()).rejects.toThrow();
    expect(await t.store.stat(staged.sha256)).toBeNull();
  });

  it('deletes a blob, and a missing blob stats as null', async () => {
    const { store } = setup();
    const { key } = await store.putBuffer(randomBytes(3000));
    expect(await store.stat(key)).toEqual({ size: 3000 });
    await store.delete(key);
    expect(await store.stat(key)).toBeNull();
    await store.delete(key);
  });

  it('lends a local file holding the bytes', async () => {
    const { store } = setup();
    const bytes = randomBytes(50_000);
    const { key } = await store.putBuffer(bytes);
    const seen = await store.withLocalFile(key, async (path) => readFile(path));
    expect(seen.equals(bytes)).toBe(true);
  });

  it('answers ping', async () => {
    await expect(setup().store.ping()).resolves.toBeUndefined();
  });
}
