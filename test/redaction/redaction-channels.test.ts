// Media privacy on every channel, end to end through the real adapters and their provider
// fakes: a screenshot is scanned (real offline OCR), redacted with the proposed boxes, and
// sent with a GPS-tagged, rotated photo over SMS, WhatsApp, Instagram, e-mail and webchat.
// What the provider or the customer receives carries no EXIF, no GPS and no camera tags, the
// photo is upright, and the screenshot's boxes are solid while the rest is the original.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel, Message, Ticket } from '../../src/shared/api-schemas.js';
import type { PiiScanResponse, RedactionBox } from '../../src/shared/redaction-api.js';
import { emailAdapter } from '../../src/server/channels/email/email-adapter.js';
import { emailRoutes } from '../../src/server/channels/email/email-routes.js';
import { instagramAdapter } from '../../src/server/channels/instagram/instagram-adapter.js';
import { createSmsAdapter } from '../../src/server/channels/sms/sms-adapter.js';
import { webchatAdapter, webchatRoutes } from '../../src/server/channels/webchat/webchat-channel.js';
import { whatsappAdapter } from '../../src/server/channels/whatsapp/whatsapp-adapter.js';
import { startFakeGraph, type FakeGraph } from '../fakes/graph.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio.js';
import * as corpus from '../email/support/corpus.js';
import { postMime } from '../email/support/email-harness.js';
import { startSmtpSink, type SmtpSink } from '../email/support/smtp-sink.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { jpeg } from '../support/images.js';
import { createWebchatChannel, visitorClient } from '../webchat/support.js';

const exec = promisify(execFile);
const GRAPH_SECRET = 'graph-app-secret-123';
const GRAPH_TOKEN = 'EAAG-graph-token-123';
const EMAIL_SECRET = 'email-webhook-secret-0123456789';

let h: Harness;
let agent: Client;
let twilio: FakeTwilio;
let graph: FakeGraph;
let sink: SmtpSink;
const channels: Record<'sms' | 'whatsapp' | 'instagram' | 'email' | 'webchat', Channel> = {} as never;
const smsNumber = '+12025550100';

/** A screenshot of an order page with an e-mail address, a phone number and a card number in it. */
async function orderScreenshot(): Promise<Buffer> {
  const line = (y: number, label: string, value: string) =>
    `<text x="30" y="${y}" font-family="DejaVu Sans" font-size="20" fill="#555">${label}</text>` +
    `<text x="170" y="${y}" font-family="DejaVu Sans" font-size="20" fill="#111">${value}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="320">
    <rect width="100%" height="100%" fill="#ffffff"/>
    <rect x="0" y="0" width="900" height="48" fill="#2f6fde"/>
    <text x="30" y="32" font-family="DejaVu Sans" font-size="20" fill="#ffffff">Order 51234 placed on May 1</text>
    <rect x="600" y="90" width="260" height="180" rx="12" fill="#f1e7c9"/>
    ${line(110, 'Email', 'maria.silva@example.com')}
    ${line(170, 'Phone', '+44 20 7946 0958')}
    ${line(230, 'Card', '4111 1111 1111 1111')}
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

beforeAll(async () => {
  h = await createHarness({
    adapters: [createSmsAdapter(), whatsappAdapter, instagramAdapter, emailAdapter, webchatAdapter()],
    extraRoutes: [emailRoutes, webchatRoutes()],
  });
  const account = await buildAccount(h, 'Everywhere');
  agent = await signIn(h, account.admin.email, account.admin.password);
  const create = async (kind: string, config: Record<string, unknown>): Promise<Channel> => {
    const response = await agent.request<Channel>('POST', '/api/channels', { kind, name: kind, config });
    if (response.status !== 201) throw new Error(`${kind}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  twilio = await startFakeTwilio({ accountSid: `AC${'1'.repeat(32)}`, authToken: 'a'.repeat(32) });
  channels.sms = await create('sms', {
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    from: smsNumber,
    apiBaseUrl: twilio.baseUrl,
  });
  graph = await startFakeGraph({ appSecret: GRAPH_SECRET, accessToken: GRAPH_TOKEN });
  const meta = {
    accessToken: GRAPH_TOKEN,
    appSecret: GRAPH_SECRET,
    verifyToken: 'verify-token-123',
    graphBaseUrl: graph.baseUrl,
    graphVersion: graph.version,
  };
  channels.whatsapp = await create('whatsapp', {
    phoneNumberId: graph.whatsappAccount.phoneNumberId,
    ...meta,
  });
  channels.instagram = await create('instagram', {
    accountId: graph.igAccountId,
    humanAgentTag: true,
    ...meta,
  });
  graph.setWebhookUrls({
    whatsapp: channels.whatsapp.webhookUrl ?? '',
    instagram: channels.instagram.webhookUrl ?? '',
  });
  sink = await startSmtpSink();
  channels.email = await create('email', {
    address: 'support@acme.test',
    smtp: { host: '127.0.0.1', port: sink.port, secure: false },
    inbound: { webhookSecret: EMAIL_SECRET },
  });
  channels.webchat = await createWebchatChannel(agent);
});
afterAll(async () => {
  await twilio?.close();
  await graph?.close();
  await sink?.close();
  await h?.close();
});

async function until<T>(check: () => Promise<T | undefined | null | false>, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    await h.deps.queue.idle();
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

async function ticketFor(query: string): Promise<Ticket> {
  return until(async () => {
    const list = await agent.request<{ tickets: Ticket[] }>('GET', `/api/tickets?${query}`);
    return list.body.tickets[0];
  }, `a ticket (${query})`);
}

async function reply(ticketId: string, attachmentIds: string[]): Promise<Message> {
  const response = await agent.request<Message>('POST', `/api/tickets/${ticketId}/messages`, {
    text: 'Here is your order page, with your details hidden, and a photo of the parcel.',
    attachmentIds,
  });
  expect(response.status).toBe(201);
  return response.body;
}

/** Per channel: the customer writes, the agent replies with the files, and what arrives is returned. */
const deliverVia: Record<keyof typeof channels, (attachmentIds: string[]) => Promise<Buffer[]>> = {
  async sms(attachmentIds) {
    const from = '+12025550177';
    await twilio.sendInbound({
      webhookUrl: `${h.url}/webhooks/sms/${channels.sms.id}`,
      from,
      to: smsNumber,
      body: 'Where is my order?',
    });
    const ticket = await ticketFor(`q=${encodeURIComponent(from)}`);
    await reply(ticket.id, attachmentIds);
    const sent = await until(async () => {
      const mine = twilio.sentMessages.filter((m) => m.to === from);
      return mine.length > 0 ? mine : null;
    }, 'the MMS');
    const settled = await Promise.all(sent.map((m) => twilio.waitForSettled(m.sid)));
    return settled.flatMap((m) => m.media.map((item) => Buffer.from(item.bytes ?? [])));
  },
  async whatsapp(attachmentIds) {
    const from = '15550001177';
    await graph.whatsapp.receive({ from, message: { type: 'text', body: 'Where is my order?' } });
    const ticket = await ticketFor(`q=${from}`);
    await reply(ticket.id, attachmentIds);
    return until(async () => {
      const media = graph.whatsapp.sent.filter((m) => m.spec.waId === from && m.media);
      return media.length === attachmentIds.length ? media.map((m) => m.media!.bytes) : null;
    }, 'the WhatsApp media');
  },
  async instagram(attachmentIds) {
    const igsid = '7654320077001';
    await graph.instagram.receive({ senderId: igsid, text: 'Where is my order?' });
    const ticket = await ticketFor(`q=${igsid}`);
    await reply(ticket.id, attachmentIds);
    return until(async () => {
      const media = graph.instagram.sent.filter((m) => m.recipientId === igsid && m.attachment);
      return media.length === attachmentIds.length ? media.map((m) => m.attachment!.bytes) : null;
    }, 'the Instagram attachments');
  },
  async email(attachmentIds) {
    const posted = await postMime(
      { h } as Parameters<typeof postMime>[0],
      channels.email.id,
      corpus.plain(
        {
          subject: 'My order',
          from: 'Maria <maria@customer.test>',
          messageId: `<order-${Date.now()}@customer.test>`,
        },
        'Where is my order?',
      ),
      EMAIL_SECRET,
    );
    expect(posted.status).toBe(200);
    const count = sink.messages.length;
    await reply(posted.body.ticketId as string, attachmentIds);
    const [mail] = (await sink.waitFor(count + 1)).slice(count);
    return mail!.parsed.attachments.filter((a) => a.contentType.startsWith('image/')).map((a) => a.content);
  },
  async webchat(attachmentIds) {
    const visitor = visitorClient(h, channels.webchat.id);
    await visitor.start({ name: 'Maria' });
    await visitor.send('Where is my order?');
    const ticket = await ticketFor(`channelId=${channels.webchat.id}`);
    const sent = await reply(ticket.id, attachmentIds);
    const shown = await until(async () => {
      const page = await visitor.messages();
      const message = page.messages.find((m) => m.id === sent.id);
      return message && message.attachments.every((a) => a.url) ? message : null;
    }, 'the reply in the widget');
    return Promise.all(
      shown.attachments.map(async (a) => Buffer.from(await (await fetch(a.url!)).arrayBuffer())),
    );
  },
};

/** Every tag exiftool can read in the bytes, group-qualified (e.g. "GPS:GPSLatitude"). */
async function exifTags(bytes: Buffer): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'exif-'));
  try {
    const file = join(dir, 'image');
    await writeFile(file, bytes);
    const { stdout } = await exec('exiftool', ['-j', '-a', '-G1', file]);
    const [tags] = JSON.parse(stdout) as Array<Record<string, unknown>>;
    return Object.keys(tags ?? {});
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const leaks = (tags: string[]) =>
  tags.filter((tag) => /GPS|^IFD0:(Make|Model|Orientation)$|^ExifIFD:|^XMP|^IPTC/.test(tag));

/** Checks the received screenshot against the original: solid boxes, everything else as it was. */
async function expectRedacted(received: Buffer, original: Buffer, boxes: RedactionBox[]): Promise<void> {
  const { data, info } = await sharp(received).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const format = (await sharp(received).metadata()).format;
  const scale = info.width / 900;
  const exact = format === 'png' && scale === 1;
  const want = await sharp(original)
    .removeAlpha()
    .resize(info.width, info.height, { fit: 'fill' })
    .raw()
    .toBuffer();
  // A lossy re-encode blurs a couple of pixels around each edge; those are left out.
  const margin = exact ? 0 : 3;
  const scaled = boxes.map((b) => ({
    left: b.x * scale,
    top: b.y * scale,
    right: (b.x + b.width) * scale,
    bottom: (b.y + b.height) * scale,
  }));
  const within = (x: number, y: number, grow: number) =>
    scaled.some((b) => x >= b.left - grow && x < b.right + grow && y >= b.top - grow && y < b.bottom + grow);
  let insideCount = 0;
  let insideWrong = 0;
  let outsideCount = 0;
  let outsideChanged = 0;
  let outsideError = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const i = (y * info.width + x) * 3;
      if (within(x, y, -margin)) {
        insideCount += 1;
        if (Math.max(data[i]!, data[i + 1]!, data[i + 2]!) > (exact ? 0 : 40)) insideWrong += 1;
      } else if (!within(x, y, margin)) {
        outsideCount += 1;
        const error =
          Math.abs(data[i]! - want[i]!) +
          Math.abs(data[i + 1]! - want[i + 1]!) +
          Math.abs(data[i + 2]! - want[i + 2]!);
        if (error > 0) outsideChanged += 1;
        outsideError += error / 3;
      }
    }
  }
  expect(insideWrong).toBe(0);
  if (exact) expect(outsideChanged).toBe(0);
  expect(insideCount).toBeGreaterThan(0);
  expect(outsideCount).toBeGreaterThan(info.width * info.height * 0.5);
  expect(outsideError / outsideCount).toBeLessThan(4);
}

describe('scan → redact → send on every channel', () => {
  let screenshot: Buffer;
  let screenshotId: string;
  let boxes: RedactionBox[];
  let photo: Buffer;

  beforeAll(async () => {
    screenshot = await orderScreenshot();
    photo = await jpeg(640, 480, { gps: true, orientation: 6 });
    // The check below must see what it looks for: the photo really carries GPS and camera tags.
    expect(leaks(await exifTags(photo))).toEqual(
      expect.arrayContaining(['GPS:GPSLatitude', 'IFD0:Make', 'IFD0:Orientation']),
    );
    const uploaded = await agent.upload<{ attachments: Attachment[] }>([
      { name: 'order.png', bytes: screenshot },
    ]);
    screenshotId = uploaded.body.attachments[0]!.id;
  });

  it('finds the personal data in the screenshot with offline OCR, and nothing of it is left after redaction', async () => {
    let scan: PiiScanResponse | undefined;
    for (let i = 0; i < 60 && scan?.status !== 'done'; i++) {
      const response = await agent.request<PiiScanResponse>(
        'POST',
        `/api/attachments/${screenshotId}/pii-scan`,
      );
      expect([200, 202]).toContain(response.status);
      scan = response.body;
    }
    expect(scan).toMatchObject({ status: 'done', width: 900, height: 320 });
    const kinds = scan!.findings.map((f) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(['email', 'phone', 'card']));
    boxes = scan!.findings.map((f) => f.box);

    // The redacted copy, scanned in turn, holds no e-mail, phone or card number any more.
    const copy = await agent.request<Attachment>('POST', `/api/attachments/${screenshotId}/redact`, {
      boxes,
    });
    expect(copy.status).toBe(201);
    let again: PiiScanResponse | undefined;
    for (let i = 0; i < 60 && again?.status !== 'done'; i++)
      again = (await agent.request<PiiScanResponse>('POST', `/api/attachments/${copy.body.id}/pii-scan`))
        .body;
    expect(again?.status).toBe('done');
    expect(again!.findings.filter((f) => ['email', 'phone', 'card'].includes(f.kind))).toEqual([]);
  });

  it.each(['sms', 'whatsapp', 'instagram', 'email', 'webchat'] as const)(
    '%s: the customer gets the redacted screenshot and the photo, upright, without EXIF or GPS',
    async (kind) => {
      expect(boxes?.length).toBeGreaterThan(0);
      const copy = await agent.request<Attachment>('POST', `/api/attachments/${screenshotId}/redact`, {
        boxes,
      });
      expect(copy.status).toBe(201);
      expect(copy.body.redacted).toBe(true);
      const uploaded = await agent.upload<{ attachments: Attachment[] }>([
        { name: 'parcel.jpg', bytes: photo },
      ]);
      const photoId = uploaded.body.attachments[0]!.id;

      const received = await deliverVia[kind]([copy.body.id, photoId]);
      expect(received).toHaveLength(2);
      for (const bytes of received) {
        expect(leaks(await exifTags(bytes))).toEqual([]);
        expect((await sharp(bytes).metadata()).exif).toBeUndefined();
        expect(bytes.includes(Buffer.from('TestCam'))).toBe(false);
      }
      const [shot, parcel] = received as [Buffer, Buffer];
      await expectRedacted(shot, screenshot, boxes);
      const upright = await sharp(parcel).metadata();
      expect(upright.height).toBeGreaterThan(upright.width);
      expect(upright.orientation ?? 1).toBe(1);
    },
  );
});
