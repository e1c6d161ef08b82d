// What Twilio fetches for an MMS reply: images fitted to the channel's budget as JPEG, turned
// upright, without EXIF or GPS; HEIC and WebP converted; files over the budget as links. The
// fitting itself is tested in test/media; these are the channel-level checks.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel, Ticket } from '../../src/shared/api-schemas.js';
import { findOnPath } from '../../src/server/media/transform/media-tools.js';
import type { TwilioSentMessage } from '../fakes/twilio.js';
import { sampleMp4, sampleWebp } from '../fakes/samples.js';
import { photoLikeJpeg } from '../media/synthetic-images.js';
import { jpeg } from '../support/images.js';
import { newCustomer, smsWorld, ticketOf, waitFor, webhookUrl, type SmsWorld } from './sms-setup.js';

const exec = promisify(execFile);
const heifEnc = await findOnPath(['heif-enc']);
const heifConvert = await findOnPath(['heif-convert']);
const KB = 1024;

let world: SmsWorld;

beforeAll(async () => {
  world = await smsWorld();
});
afterAll(() => world.close());

async function conversation(
  channel: Pick<Channel, 'id'> = world.channel,
  to = world.number,
): Promise<Ticket> {
  const from = newCustomer();
  await world.fake.sendInbound({
    webhookUrl: `${world.h.url}/webhooks/sms/${channel.id}`,
    from,
    to,
    body: 'Can you send me a picture?',
  });
  return (await ticketOf(world, from))!;
}

/** Replies with the files and returns the Twilio messages, settled, with the media Twilio fetched. */
async function replyWith(
  ticket: Ticket,
  files: Array<{ name: string; bytes: Buffer; type?: string }>,
  text = 'Here you go',
): Promise<TwilioSentMessage[]> {
  const upload = await world.agent.upload<{ attachments: Attachment[] }>(files);
  expect(upload.status).toBe(201);
  const before = world.fake.sentMessages.length;
  const sent = await world.agent.request('POST', `/api/tickets/${ticket.id}/messages`, {
    text,
    attachmentIds: upload.body.attachments.map((a) => a.id),
  });
  expect(sent.status).toBe(201);
  await world.h.deps.queue.idle();
  const mine = await waitFor(async () => {
    const list = world.fake.sentMessages.slice(before);
    return list.length > 0 ? list : undefined;
  }, 'the MMS at Twilio');
  return Promise.all(mine.map((m) => world.fake.waitForSettled(m.sid)));
}

function fetched(messages: TwilioSentMessage[]): Buffer[] {
  return messages.flatMap((m) => m.media.map((item) => item.bytes ?? Buffer.alloc(0)));
}

async function exifOf(bytes: Buffer): Promise<{ exif: boolean; orientation: number | undefined }> {
  const meta = await sharp(bytes).metadata();
  return { exif: meta.exif !== undefined, orientation: meta.orientation };
}

describe('images in an MMS reply', () => {
  it('fits a 12 MP photo, rotated by EXIF and carrying GPS, into 600 KB, upright and without metadata', async () => {
    const photo = await sharp(await photoLikeJpeg(4000, 3000))
      .withExif({
        IFD0: { Make: 'PhoneCam', Model: 'X' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '40/1 44/1 0/1',
          GPSLongitudeRef: 'W',
          GPSLongitude: '73/1 59/1 0/1',
        },
      })
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 92 })
      .toBuffer();
    expect(photo.length).toBeGreaterThan(600 * KB);
    const [message] = await replyWith(await conversation(), [{ name: 'IMG_0001.jpg', bytes: photo }]);
    expect(message!.status).toBe('delivered');
    const [bytes] = fetched([message!]);
    expect(bytes!.length).toBeLessThanOrEqual(600 * KB);
    expect(message!.media[0]).toMatchObject({
      sniffedType: 'image/jpeg',
      get: { contentType: 'image/jpeg' },
    });
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.height).toBeGreaterThan(meta.width!);
    expect(await exifOf(bytes!)).toEqual({ exif: false, orientation: undefined });
    expect(bytes!.includes(Buffer.from('PhoneCam'))).toBe(false);
  });

  it('keeps to a smaller budget set on the channel', async () => {
    const created = await world.agent.request<Channel>('POST', '/api/channels', {
      kind: 'sms',
      name: 'Tight carrier',
      config: {
        accountSid: world.fake.accountSid,
        authToken: world.fake.authToken,
        from: '+12025550133',
        apiBaseUrl: world.fake.baseUrl,
        mmsImageKb: 150,
      },
    });
    expect(created.status).toBe(201);
    const ticket = await conversation(created.body, '+12025550133');
    const messages = await replyWith(ticket, [
      { name: 'photo.jpg', bytes: await photoLikeJpeg(2400, 1800, 3) },
    ]);
    const [bytes] = fetched(messages);
    expect(bytes!.length).toBeLessThanOrEqual(150 * KB);
    expect(bytes!.length).toBeGreaterThan(50 * KB);
  });

  it('strips EXIF and GPS from a small JPEG that needs no fitting', async () => {
    const small = await jpeg(320, 240, { gps: true });
    expect((await exifOf(small)).exif).toBe(true);
    const [bytes] = fetched(await replyWith(await conversation(), [{ name: 'small.jpg', bytes: small }]));
    expect((await exifOf(bytes!)).exif).toBe(false);
    expect((await sharp(bytes).metadata()).width).toBe(320);
  });

  it('converts WebP to JPEG, and a large PNG with transparency to a JPEG within budget', async () => {
    const screenshot = await sharp(await photoLikeJpeg(1600, 1200, 9))
      .ensureAlpha(0.8)
      .png()
      .toBuffer();
    expect(screenshot.length).toBeGreaterThan(600 * KB);
    const messages = await replyWith(await conversation(), [
      { name: 'sticker.webp', bytes: await sampleWebp(512, 512) },
      { name: 'screen.png', bytes: screenshot, type: 'image/png' },
    ]);
    expect(messages.flatMap((m) => m.media.map((item) => item.get.contentType))).toEqual([
      'image/jpeg',
      'image/jpeg',
    ]);
    for (const bytes of fetched(messages)) {
      expect(bytes.length).toBeLessThanOrEqual(600 * KB);
      expect((await sharp(bytes).metadata()).format).toBe('jpeg');
    }
    expect(messages[0]!.mediaUrls.map((u) => decodeURIComponent(u.split('/').pop()!))).toEqual([
      'sticker.jpg',
      'screen.jpg',
    ]);
  });

  it.skipIf(!heifEnc || !heifConvert)('converts an iPhone HEIC photo to JPEG', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sms-heic-'));
    try {
      await writeFile(join(dir, 'in.jpg'), await photoLikeJpeg(1200, 900, 5));
      await exec(heifEnc!, ['-q', '70', '-o', join(dir, 'in.heic'), join(dir, 'in.jpg')]);
      const heic = await readFile(join(dir, 'in.heic'));
      const messages = await replyWith(await conversation(), [{ name: 'IMG_4032.HEIC', bytes: heic }]);
      const [bytes] = fetched(messages);
      expect(messages[0]!.media[0]?.sniffedType).toBe('image/jpeg');
      expect(bytes!.length).toBeLessThanOrEqual(600 * KB);
      expect(await sharp(bytes).metadata()).toMatchObject({ format: 'jpeg', width: 1200, height: 900 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sends a video over the budget as a link, and says so in the text', async () => {
    const messages = await replyWith(
      await conversation(),
      [{ name: 'unboxing.mp4', bytes: sampleMp4(2 * 1024 * 1024), type: 'video/mp4' }],
      'Watch this',
    );
    expect(messages[0]!.mediaUrls).toEqual([]);
    expect(messages[0]!.body).toMatch(/^Watch this\n\nunboxing\.mp4 \(2 MB\): http:\/\//);
  });

  it('keeps several fitted photos in order and splits them when they pass 5 MB in one message', async () => {
    const photos = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => ({
        name: `room-${i}.jpg`,
        bytes: await photoLikeJpeg(2000, 1500, 20 + i),
      })),
    );
    const messages = await replyWith(await conversation(), photos);
    const sizes = messages.map((m) => m.media.reduce((sum, item) => sum + (item.bytes?.length ?? 0), 0));
    expect(sizes.every((total) => total <= 5 * 1024 * 1024)).toBe(true);
    expect(messages.every((m) => m.status === 'delivered')).toBe(true);
    const names = messages.flatMap((m) => m.mediaUrls.map((u) => decodeURIComponent(u.split('/').pop()!)));
    expect(names).toEqual(photos.map((p) => p.name));
    expect(webhookUrl(world)).toContain(world.channel.id);
  }, 120_000);
});
