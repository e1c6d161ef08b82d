// What WhatsApp receives when the agent's files do not fit its rules as they are: photos over
// 5 MB fitted, WebP converted to JPEG, location data stripped, recordings converted to OGG/Opus.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Message } from '../../src/shared/api-schemas.js';
import { jpeg } from '../support/images.js';
import { messageById, startWhatsAppWorld, ticketOf, until, type WhatsAppWorld } from './setup.js';
import { heavyPhoto, makeVoiceNote } from './real-media.js';

const MB = 1024 * 1024;
const hasFfmpeg = (await makeVoiceNote()) !== null;

let w: WhatsAppWorld;
let customers = 0;

beforeAll(async () => {
  w = await startWhatsAppWorld();
});
afterAll(() => w.close());

async function wav(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'wav-'));
  try {
    await promisify(execFile)('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'sine=duration=1',
      join(dir, 'a.wav'),
    ]);
    return await readFile(join(dir, 'a.wav'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function send(files: Array<{ name: string; bytes: Buffer; type?: string }>, text = '') {
  const from = `1555${String(6_000_000 + ++customers).padStart(7, '0')}`;
  await w.graph.whatsapp.receive({ from, message: { type: 'text', body: 'hi' } });
  const ticketId = (await ticketOf(w, from)).id;
  const uploaded = await w.agent.upload<{ attachments: Attachment[] }>(files);
  expect(uploaded.status).toBe(201);
  const reply = await w.agent.request<Message>('POST', `/api/tickets/${ticketId}/messages`, {
    text,
    attachmentIds: uploaded.body.attachments.map((a) => a.id),
  });
  const settled = await until(
    async () => {
      await w.h.deps.queue.idle();
      const message = await messageById(w, ticketId, reply.body.id);
      return ['delivered', 'failed'].includes(message.status) ? message : null;
    },
    'the reply to settle',
    60_000,
  );
  return { message: settled, sent: w.graph.whatsapp.sent.filter((m) => m.spec.waId === from) };
}

const mediaOf = (spec: unknown) => w.graph.whatsapp.getMedia((spec as { mediaId: string }).mediaId)!;

describe('WhatsApp outbound preparation', () => {
  it('fits a photo over 5 MB under the limit as a JPEG, without its location', async () => {
    const photo = await heavyPhoto();
    expect(photo.length).toBeGreaterThan(5 * MB);
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const { message, sent } = await send([{ name: 'big.jpg', bytes: photo }], 'Full resolution photo');
    expect(message.status).toBe('delivered');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.spec).toMatchObject({ type: 'image', caption: 'Full resolution photo' });
    const media = mediaOf(sent[0]!.spec);
    expect(media.mimeType).toBe('image/jpeg');
    expect(media.bytes.length).toBeLessThanOrEqual(5 * MB);
    expect((await sharp(media.bytes).metadata()).exif).toBeUndefined();
  }, 90_000);

  it('converts a WebP image to JPEG and strips location data from a photo sent as it is', async () => {
    const webp = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#22aa66' } })
      .webp()
      .toBuffer();
    const located = await jpeg(320, 240, { gps: true });
    expect((await sharp(located).metadata()).exif).toBeDefined();
    const { message, sent } = await send([
      { name: 'drawing.webp', bytes: webp },
      { name: 'shop.jpg', bytes: located },
    ]);
    expect(message.status).toBe('delivered');
    expect(sent.map((m) => m.spec.type)).toEqual(['image', 'image']);
    const [converted, cleaned] = sent.map((m) => mediaOf(m.spec));
    expect(converted!.mimeType).toBe('image/jpeg');
    expect(await sharp(converted!.bytes).metadata()).toMatchObject({
      format: 'jpeg',
      width: 300,
      height: 200,
    });
    const cleanedMeta = await sharp(cleaned!.bytes).metadata();
    expect(cleanedMeta).toMatchObject({ width: 320, height: 240 });
    expect(cleanedMeta.exif?.includes(Buffer.from('GPS')) ?? false).toBe(false);
  });

  it.skipIf(!hasFfmpeg)('converts a WAV recording to OGG/Opus, which WhatsApp takes as audio', async () => {
    const { message, sent } = await send([{ name: 'message.wav', bytes: await wav() }], 'Listen to this');
    expect(message.status).toBe('delivered');
    expect(sent.map((m) => m.spec.type)).toEqual(['text', 'audio']);
    const audio = mediaOf(sent[1]!.spec);
    expect(audio.mimeType).toBe('audio/ogg');
    expect(audio.bytes.subarray(0, 4).toString('latin1')).toBe('OggS');
    expect(audio.bytes.includes(Buffer.from('OpusHead'))).toBe(true);
  });
});
