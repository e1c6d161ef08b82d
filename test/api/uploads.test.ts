import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment } from '../../src/shared/api-schemas.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { elfBytes, jpeg, png, pngClaiming } from '../support/images.js';
import { makeVideo } from '../support/media-files.js';

let h: Harness;
let agent: Client;

async function storedBlobFiles(): Promise<number> {
  await h.deps.queue.idle();
  return (await h.storedBlobKeys()).length;
}

async function blobRows(): Promise<number> {
  const rows = await h.deps.db.selectFrom('blobs').select('key').execute();
  return rows.length;
}

beforeAll(async () => {
  h = await createHarness({ env: { MAX_UPLOAD_MB: '2.5' } });
  const account = await buildAccount(h);
  agent = await signIn(h, account.admin.email, account.admin.password);
});
afterAll(() => h.close());

describe('POST /api/uploads', () => {
  it('stores several files, sniffs their types and announces them as processing', async () => {
    const photo = await jpeg(800, 600);
    const response = await agent.upload<{ attachments: Attachment[] }>([
      { name: 'photo.jpg', bytes: photo, type: 'image/jpeg' },
      { name: 'notes.txt', bytes: Buffer.from('Order 1234 arrived broken.\n'), type: 'text/plain' },
    ]);
    expect(response.status).toBe(201);
    const [image, text] = response.body.attachments;
    expect(image).toMatchObject({
      name: 'photo.jpg',
      contentType: 'image/jpeg',
      size: photo.length,
      width: 800,
      height: 600,
      state: 'processing',
      kind: 'image',
      messageId: null,
    });
    expect(text).toMatchObject({ name: 'notes.txt', contentType: 'text/plain', kind: 'file' });
    await h.deps.queue.idle();
    const row = await h.deps.db
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', image!.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('ready');
  });

  it('trusts the bytes over the name and the declared type', async () => {
    const response = await agent.upload<{ attachments: Attachment[] }>([
      { name: 'picture.jpg', bytes: await png(), type: 'image/jpeg' },
    ]);
    expect(response.status).toBe(201);
    expect(response.body.attachments[0]).toMatchObject({ contentType: 'image/png', name: 'picture.png' });
  });

  it('refuses an empty file', async () => {
    const response = await agent.upload([{ name: 'empty.pdf', bytes: Buffer.alloc(0) }]);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'empty_upload' } });
  });

  it('refuses a request without files', async () => {
    const form = new FormData();
    form.append('caption', 'hello');
    const response = await fetch(`${h.url}/api/uploads`, {
      method: 'POST',
      body: form,
      headers: { cookie: agent.cookie!, 'x-csrf-token': agent.csrf! },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('empty_upload');
  });

  it('cuts an oversize upload mid-stream with 413 and keeps nothing', async () => {
    const blobsBefore = await storedBlobFiles();
    const rowsBefore = await blobRows();
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const response = await agent.upload([{ name: 'big.bin', bytes: big }]);
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await storedBlobFiles()).toBe(blobsBefore);
    expect(await blobRows()).toBe(rowsBefore);
    const staging = await readdir(join(h.dataDir, 'tmp')).catch(() => []);
    expect(staging).toEqual([]);
    expect(await h.stagedObjectKeys()).toEqual([]);
  });

  it('refuses an executable renamed .jpg', async () => {
    const response = await agent.upload([{ name: 'holiday.jpg', bytes: elfBytes(), type: 'image/jpeg' }]);
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ error: { code: 'file_type_blocked' } });
    expect((response.body as { error: { message: string } }).error.message).toContain('holiday.jpg');
  });

  it('refuses a text file named like an image', async () => {
    const response = await agent.upload([
      { name: 'scan.png', bytes: Buffer.from('just some text, not a picture') },
    ]);
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ error: { code: 'file_type_mismatch' } });
  });

  it('refuses a PNG that declares 20000×20000 pixels before decoding it', async () => {
    const response = await agent.upload([
      { name: 'bomb.png', bytes: pngClaiming(20000, 20000), type: 'image/png' },
    ]);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      error: { code: 'image_too_large', details: { width: 20000, height: 20000 } },
    });
  });

  it('refuses a truncated JPEG', async () => {
    const whole = await jpeg(1200, 900);
    const response = await agent.upload([
      { name: 'cut.jpg', bytes: whole.subarray(0, Math.floor(whole.length * 0.6)) },
    ]);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: { code: 'file_corrupt' } });
  });

  it('cleans names with paths, control and bidi-override characters', async () => {
    const response = await agent.upload<{ attachments: Attachment[] }>([
      { name: '../../etc/passwd.txt', bytes: Buffer.from('a') },
      { name: 'invoice\u202Efdp.exe.txt', bytes: Buffer.from('b') },
      { name: 'bell\u0007\u0000name.txt', bytes: Buffer.from('c') },
    ]);
    expect(response.status).toBe(201);
    expect(response.body.attachments.map((a) => a.name)).toEqual([
      'passwd.txt',
      'invoicefdp.exe.txt',
      'bellname.txt',
    ]);
  });

  it('stores nothing when one file of several is refused', async () => {
    const blobsBefore = await storedBlobFiles();
    const rowsBefore = await h.deps.db.selectFrom('attachments').select('id').execute();
    const response = await agent.upload([
      { name: 'fine.jpg', bytes: await jpeg(300, 200) },
      { name: 'evil.jpg', bytes: elfBytes() },
    ]);
    expect(response.status).toBe(415);
    expect(await storedBlobFiles()).toBe(blobsBefore);
    const rowsAfter = await h.deps.db.selectFrom('attachments').select('id').execute();
    expect(rowsAfter.length).toBe(rowsBefore.length);
  });

  it('stores the same bytes once and counts the references', async () => {
    const bytes = await jpeg(321, 123);
    await agent.upload([{ name: 'a.jpg', bytes }]);
    await agent.upload([{ name: 'b.jpg', bytes }]);
    const blobs = await h.deps.db.selectFrom('blobs').selectAll().where('size', '=', bytes.length).execute();
    expect(blobs).toHaveLength(1);
    expect(blobs[0]!.refCount).toBe(2);
  });

  it('writes an oriented WebP thumbnail before marking an image ready', async () => {
    const rotated = await jpeg(600, 300, { orientation: 6 });
    const response = await agent.upload<{ attachments: Attachment[] }>([
      { name: 'rotated.jpg', bytes: rotated },
    ]);
    const id = response.body.attachments[0]!.id;
    expect(response.body.attachments[0]).toMatchObject({ width: 300, height: 600 });
    await h.deps.queue.idle();
    const thumbnail = await agent.request('GET', `/api/attachments/${id}/thumbnail`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(thumbnail.raw).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.height).toBeGreaterThan(meta.width!);
    expect(Math.max(meta.width!, meta.height!)).toBe(480);
  });
});

describe('derivatives of other media', () => {
  it('gives a video a poster thumbnail and its duration', async (context) => {
    const video = await makeVideo(2);
    if (!video) return context.skip('ffmpeg is not installed');
    const response = await agent.upload<{ attachments: Attachment[] }>([{ name: 'clip.mp4', bytes: video }]);
    await h.deps.queue.idle();
    const row = await h.deps.db
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', response.body.attachments[0]!.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'ready', width: 320, height: 240 });
    expect(row.durationMs).toBe(2000);
    const thumbnail = await agent.request('GET', `/api/attachments/${row.id}/thumbnail`);
    expect(thumbnail.status).toBe(200);
    expect((await sharp(thumbnail.raw).metadata()).format).toBe('webp');
  });

  it('gives a PDF a first-page thumbnail', async () => {
    const { minimalPdf } = await import('../media/synthetic-images.js');
    const response = await agent.upload<{ attachments: Attachment[] }>([
      { name: 'label.pdf', bytes: minimalPdf(2) },
    ]);
    await h.deps.queue.idle();
    const thumbnail = await agent.request(
      'GET',
      `/api/attachments/${response.body.attachments[0]!.id}/thumbnail`,
    );
    expect(thumbnail.status).toBe(200);
  });

  it('gives a heavy photo a display preview for the viewer', async () => {
    const { photoLikeJpeg } = await import('../media/synthetic-images.js');
    const photo = await photoLikeJpeg(3000, 2000, 5, 92);
    expect(photo.length).toBeGreaterThan(1.5 * 1024 * 1024);
    const response = await agent.upload<{ attachments: Attachment[] }>([{ name: 'big.jpg', bytes: photo }]);
    await h.deps.queue.idle();
    const ticketless = await h.deps.db
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', response.body.attachments[0]!.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(ticketless.meta)).toMatchObject({ preview: { width: 1600, height: 1067 } });
    const preview = await agent.request('GET', `/api/attachments/${ticketless.id}/preview`);
    expect(preview.status).toBe(200);
    expect((await sharp(preview.raw).metadata()).width).toBe(1600);
  });
});
