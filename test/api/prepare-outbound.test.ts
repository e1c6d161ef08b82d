import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment } from '../../src/shared/api-schemas.js';
import { adapterDeps } from '../../src/server/channels/adapter-deps.js';
import type { OutboundMessage } from '../../src/server/channels/adapter.js';
import {
  linkLines,
  prepareOutbound,
  type PreparedMedia,
} from '../../src/server/channels/prepare-outbound.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { jpeg } from '../support/images.js';
import { photoLikeJpeg } from '../media/synthetic-images.js';

let h: Harness;
let agent: Client;

beforeAll(async () => {
  h = await createHarness();
  const account = await buildAccount(h);
  agent = await signIn(h, account.admin.email, account.admin.password);
});
afterAll(() => h.close());

async function outbound(files: Array<{ name: string; bytes: Buffer }>): Promise<OutboundMessage> {
  const uploaded = (await agent.upload<{ attachments: Attachment[] }>(files)).body.attachments;
  // The upload's own derivative jobs (thumbnails) finish first, so the counts below are ours.
  await h.deps.queue.idle();
  const rows = await h.deps.db
    .selectFrom('attachments')
    .selectAll()
    .where(
      'id',
      'in',
      uploaded.map((a) => a.id),
    )
    .execute();
  return {
    id: 'm',
    ticketId: 't',
    ticketNumber: 1,
    text: 'see attached',
    recipient: { externalId: '+15551234567', name: 'C', email: null, phone: null },
    lastInboundAt: null,
    meta: {},
    attachments: uploaded.map((a) => {
      const row = rows.find((r) => r.id === a.id)!;
      return {
        id: a.id,
        name: a.name,
        contentType: a.contentType,
        size: a.size,
        blobKey: row.blobKey!,
        width: a.width,
        height: a.height,
      };
    }),
  };
}

async function bytesOf(item: PreparedMedia): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await item.open()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('outbound preparation', () => {
  it('fits a large photo under the MMS budget, without its GPS, served at its signed link', async () => {
    const photo = await sharp(await photoLikeJpeg(3000, 2000, 3))
      .withExif({
        IFD0: { Make: 'Cam', Model: 'One' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '40/1 26/1 0/1' },
      })
      .jpeg({ quality: 95 })
      .toBuffer();
    expect(photo.length).toBeGreaterThan(600 * 1024);
    const message = await outbound([{ name: 'damage.jpeg', bytes: photo }]);
    const [item] = await prepareOutbound(message, adapterDeps(h.deps, 'sms'));
    expect(item).toMatchObject({
      kind: 'media',
      contentType: 'image/jpeg',
      name: 'damage.jpg',
      decision: { action: 'fit' },
    });
    const media = item as PreparedMedia;
    expect(media.size).toBeLessThanOrEqual(600 * 1024);
    const bytes = await bytesOf(media);
    const meta = await sharp(bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(2048);
    const served = await fetch(media.url);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('strips metadata from an image that fits as it is, and reuses the prepared copy', async () => {
    const small = await jpeg(400, 300, { gps: true });
    expect((await sharp(small).metadata()).exif).toBeDefined();
    const message = await outbound([{ name: 'small.jpg', bytes: small }]);
    const deps = adapterDeps(h.deps, 'whatsapp');
    const [first] = (await prepareOutbound(message, deps)) as PreparedMedia[];
    expect(first!.decision).toEqual({ action: 'send' });
    expect((await sharp(await bytesOf(first!)).metadata()).exif).toBeUndefined();
    const before = await h.deps.db
      .selectFrom('derivatives')
      .select('id')
      .where('attachmentId', '=', message.attachments[0]!.id)
      .execute();
    const [second] = (await prepareOutbound(message, deps)) as PreparedMedia[];
    const after = await h.deps.db
      .selectFrom('derivatives')
      .select('id')
      .where('attachmentId', '=', message.attachments[0]!.id)
      .execute();
    expect(after.length).toBe(before.length);
    expect(second!.size).toBe(first!.size);
  });

  it('sends what no transform can shrink as a customer link, listed for the text', async () => {
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.4\n'),
      Buffer.alloc(900 * 1024, 0x20),
      Buffer.from('\n%%EOF\n'),
    ]);
    const message = await outbound([{ name: 'manual.pdf', bytes: pdf }]);
    const items = await prepareOutbound(message, adapterDeps(h.deps, 'sms'));
    expect(items[0]).toMatchObject({ kind: 'link', decision: { action: 'link', reason: 'too_large' } });
    const [line] = linkLines(items);
    expect(line).toMatch(/^manual\.pdf \(\d+ KB\): http:\/\/127\.0\.0\.1:\d+\/media\//);
    const link = line!.slice(line!.indexOf('http'));
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
  });

  it('sends everything as links where the destination takes no media', async () => {
    const message = await outbound([{ name: 'tiny.jpg', bytes: await jpeg(50, 50) }]);
    const items = await prepareOutbound(message, adapterDeps(h.deps, 'sms'), { mediaAllowed: false });
    expect(items[0]).toMatchObject({ kind: 'link', decision: { reason: 'destination' } });
  });
});
