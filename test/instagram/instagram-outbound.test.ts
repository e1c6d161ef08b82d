import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel, Message } from '../../src/shared/api-schemas.js';
import { buildInstagramEnvelope, igReadEvent } from '../fakes/graph.js';
import { sampleMp4, samplePdf, sampleWav } from '../fakes/samples.js';
import { jpeg } from '../support/images.js';
import { heavyPhoto } from '../whatsapp/real-media.js';
import { messageById, startInstagramWorld, thread, ticketOf, until, type InstagramWorld } from './setup.js';

let w: InstagramWorld;
let customers = 0;
const nextCustomer = () => `76543200${String(10_000_000 + ++customers)}`;

beforeAll(async () => {
  w = await startInstagramWorld();
});
afterAll(() => w.close());

async function conversation(): Promise<{ igsid: string; ticketId: string }> {
  const igsid = nextCustomer();
  await w.graph.instagram.receive({ senderId: igsid, text: 'hi, a question' });
  return { igsid, ticketId: (await ticketOf(w, igsid)).id };
}

async function upload(files: Array<{ name: string; bytes: Buffer; type?: string }>): Promise<Attachment[]> {
  const response = await w.agent.upload<{ attachments: Attachment[] }>(files);
  if (response.status !== 201) throw new Error(`upload: ${JSON.stringify(response.body)}`);
  return response.body.attachments;
}

async function reply(
  ticketId: string,
  text: string,
  attachments: Attachment[] = [],
  meta?: Record<string, unknown>,
): Promise<Message> {
  const response = await w.agent.request<Message>('POST', `/api/tickets/${ticketId}/messages`, {
    text,
    attachmentIds: attachments.map((a) => a.id),
    ...(meta ? { meta } : {}),
  });
  expect(response.status).toBe(201);
  return response.body;
}

async function statusOf(ticketId: string, id: string, wanted: Message['status']): Promise<Message> {
  return until(async () => {
    await w.h.deps.queue.idle();
    const message = await messageById(w, ticketId, id);
    return message.status === wanted ? message : null;
  }, `message ${id} to become ${wanted}`);
}

/** Waits until every early status or echo has been looked at again and settled. */
async function noDeferredEvents(): Promise<void> {
  await until(async () => {
    await w.h.deps.queue.idle();
    const pending = await w.h.deps.db
      .selectFrom('jobs')
      .select('id')
      .where('name', '=', 'inbound.deferred')
      .where('state', 'in', ['queued', 'running'])
      .execute();
    return pending.length === 0;
  }, 'early events to settle');
}

const sentTo = (igsid: string) => w.graph.instagram.sent.filter((m) => m.recipientId === igsid);

describe('Instagram replies', () => {
  it('sends three images as three messages, then the caption as a text message, in order, once', async () => {
    const { igsid, ticketId } = await conversation();
    const images = await Promise.all([1, 2, 3].map((n) => jpeg(90 + n, 70)));
    const files = await upload(images.map((bytes, i) => ({ name: `shot-${i + 1}.jpg`, bytes })));
    const message = await reply(ticketId, 'Three angles of the parcel', files);
    await statusOf(ticketId, message.id, 'sent');
    const sent = sentTo(igsid);
    expect(sent.map((m) => (m.attachment ? `image:${m.attachment.type}` : `text:${m.text}`))).toEqual([
      'image:image',
      'image:image',
      'image:image',
      'text:Three angles of the parcel',
    ]);
    sent.slice(0, 3).forEach((m, i) => {
      expect(m.attachment!.bytes.equals(images[i]!)).toBe(true);
      expect(m.attachment!.contentType).toBe('image/jpeg');
      expect(m.attachment!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
    });
    const deliveries = await w.h.deps.db
      .selectFrom('deliveries')
      .select(['providerMessageId'])
      .where('messageId', '=', message.id)
      .orderBy('part')
      .execute();
    expect(deliveries.map((d) => d.providerMessageId)).toEqual(sent.map((m) => m.mid));
    // The echoes of all four sends arrive; none shows up as a second message.
    await Promise.all(sent.map((m) => w.graph.instagram.waitForEcho(m.mid)));
    await noDeferredEvents();
    const outbound = (await thread(w, ticketId)).filter((m) => m.direction === 'outbound');
    expect(outbound.map((m) => m.id)).toEqual([message.id]);
  });

  it('matches an echo that arrives before the send is recorded, instead of showing it twice', async () => {
    const { igsid, ticketId } = await conversation();
    const message = await reply(ticketId, 'Echo race');
    await statusOf(ticketId, message.id, 'sent');
    await w.graph.instagram.waitForEcho(sentTo(igsid)[0]!.mid);
    await noDeferredEvents();
    const early = `early-echo-${igsid}`;
    const echo = await w.graph.instagram.receive({
      senderId: igsid,
      mid: early,
      text: 'Echo race',
      isEcho: true,
    });
    expect(echo.delivery.response?.status).toBe(200);
    expect((await thread(w, ticketId)).filter((m) => m.direction === 'outbound')).toHaveLength(1);
    // The send job records the provider id only now (as when the echo beats our record).
    await w.h.deps.db
      .updateTable('deliveries')
      .set({ providerMessageId: early })
      .where('messageId', '=', message.id)
      .execute();
    await noDeferredEvents();
    const outbound = (await thread(w, ticketId)).filter((m) => m.direction === 'outbound');
    expect(outbound.map((m) => m.id)).toEqual([message.id]);
  });

  it('sends a PDF as a file, and what Instagram does not take as a secure link in the text', async () => {
    const { igsid, ticketId } = await conversation();
    const files = await upload([
      { name: 'manual.pdf', bytes: samplePdf(), type: 'application/pdf' },
      { name: 'notes.txt', bytes: Buffer.from('plain notes\n'), type: 'text/plain' },
      { name: 'long.mp4', bytes: sampleMp4(26 * 1024 * 1024), type: 'video/mp4' },
    ]);
    const message = await reply(ticketId, 'Documents', files);
    await statusOf(ticketId, message.id, 'sent');
    const sent = sentTo(igsid);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.attachment).toMatchObject({ type: 'file', contentType: 'application/pdf' });
    expect(sent[1]!.text).toMatch(
      /^Documents\n\nnotes\.txt \([^)]+\): http:\/\/\S+\nlong\.mp4 \([^)]+\): http:\/\/\S+$/,
    );
  });

  it('sends a WAV recording as audio, with its own bytes', async () => {
    const { igsid, ticketId } = await conversation();
    const wav = sampleWav(1);
    const files = await upload([{ name: 'voice.wav', bytes: wav, type: 'audio/wav' }]);
    const message = await reply(ticketId, '', files);
    await statusOf(ticketId, message.id, 'sent');
    const sent = sentTo(igsid);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.attachment).toMatchObject({ type: 'audio', contentType: 'audio/wav' });
    expect(sent[0]!.attachment!.bytes.equals(wav)).toBe(true);
  });

  it('sends a 24 MB video as a video (within the 25 MB limit), not as a link', async () => {
    const { igsid, ticketId } = await conversation();
    const video = sampleMp4(24 * 1024 * 1024);
    const files = await upload([{ name: 'unboxing.mp4', bytes: video, type: 'video/mp4' }]);
    const message = await reply(ticketId, 'The unboxing', files);
    await statusOf(ticketId, message.id, 'sent');
    const sent = sentTo(igsid);
    expect(
      sent.map((m) => (m.attachment ? `${m.attachment.type}:${m.attachment.contentType}` : `text:${m.text}`)),
    ).toEqual(['video:video/mp4', 'text:The unboxing']);
    expect(sent[0]!.attachment!.bytes.length).toBe(video.length);
    expect(sent[0]!.attachment!.bytes.equals(video)).toBe(true);
  });

  it('sends a GIF as an image', async () => {
    const { igsid, ticketId } = await conversation();
    const gif = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
    const files = await upload([{ name: 'wave.gif', bytes: gif, type: 'image/gif' }]);
    const message = await reply(ticketId, '', files);
    await statusOf(ticketId, message.id, 'sent');
    expect(sentTo(igsid).map((m) => m.attachment?.contentType)).toEqual(['image/gif']);
  });

  it('splits text over 1000 bytes into several messages', async () => {
    const { igsid, ticketId } = await conversation();
    const long = 'Ünïcödé sentence number one. '.repeat(60).trim();
    const message = await reply(ticketId, long);
    await statusOf(ticketId, message.id, 'sent');
    const texts = sentTo(igsid).map((m) => m.text ?? '');
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.every((t) => Buffer.byteLength(t) <= 1000)).toBe(true);
    expect(texts.join(' ')).toBe(long);
  });
});

describe('Instagram refusals', () => {
  it('explains a send outside the 24-hour window, and sends with HUMAN_AGENT when asked', async () => {
    const { igsid, ticketId } = await conversation();
    w.graph.controls.setInstagramWindow(igsid, 'human-agent');
    const plain = await reply(ticketId, 'Following up');
    const failed = await statusOf(ticketId, plain.id, 'failed');
    expect(failed.errorCode).toBe('10/2534022');
    expect(failed.errorMessage).toContain("Outside Instagram's 24-hour window");
    expect(sentTo(igsid)).toHaveLength(0);

    const tagged = await reply(ticketId, 'Following up (human agent)', [], { humanAgentTag: true });
    await statusOf(ticketId, tagged.id, 'sent');
    expect(sentTo(igsid)).toMatchObject([
      { text: 'Following up (human agent)', tag: 'HUMAN_AGENT', messagingType: 'MESSAGE_TAG' },
    ]);

    w.graph.controls.setInstagramWindow(igsid, 'closed');
    const late = await reply(ticketId, 'Too late', [], { humanAgentTag: true });
    expect((await statusOf(ticketId, late.id, 'failed')).errorCode).toBe('10/2534022');
  });

  it('refuses an unknown per-message option', async () => {
    const { ticketId } = await conversation();
    const response = await w.agent.request('POST', `/api/tickets/${ticketId}/messages`, {
      text: 'x',
      meta: { somethingElse: true },
    });
    expect(response.status).toBe(400);
  });

  it('marks the channel as needing attention when the token has expired', async () => {
    const { igsid, ticketId } = await conversation();
    w.graph.controls.expireAccessToken();
    try {
      const message = await reply(ticketId, 'Hello?');
      const failed = await statusOf(ticketId, message.id, 'failed');
      expect(failed.errorCode).toBe('190');
      expect(failed.errorMessage).toContain('Instagram access token has expired');
      const channels = await w.agent.request<{ channels: Channel[] }>('GET', '/api/channels');
      expect(channels.body.channels.find((c) => c.id === w.channel.id)).toMatchObject({
        health: 'needs_attention',
        healthReason: expect.stringContaining('channel settings'),
      });
      expect(sentTo(igsid)).toHaveLength(0);
    } finally {
      w.graph.controls.restoreAccessToken();
    }
  });

  it('explains a file Instagram could not fetch', async () => {
    const { igsid, ticketId } = await conversation();
    w.graph.controls.setSendError(igsid, {
      status: 400,
      error: { message: '(#100) Failed to fetch the file from the url', code: 100, subcode: 2018008 },
    });
    try {
      const files = await upload([{ name: 'a.jpg', bytes: await jpeg(30, 30) }]);
      const message = await reply(ticketId, 'see', files);
      const failed = await statusOf(ticketId, message.id, 'failed');
      expect(failed.errorMessage).toContain(
        '"a.jpg" (part 1 of 2): Instagram could not fetch the file from our link',
      );
    } finally {
      w.graph.controls.setSendError(igsid, null);
    }
  });

  it('applies read receipts to the parts it sent', async () => {
    const { igsid, ticketId } = await conversation();
    const message = await reply(ticketId, 'Read me');
    await statusOf(ticketId, message.id, 'sent');
    const mid = sentTo(igsid)[0]!.mid;
    await w.graph.deliverInstagram(
      w.channel.webhookUrl!,
      buildInstagramEnvelope(w.graph.igAccountId, [
        igReadEvent({ senderId: igsid, recipientId: w.graph.igAccountId, mid }),
      ]),
    );
    await statusOf(ticketId, message.id, 'read');
  });
});

describe('Instagram outbound preparation', () => {
  it('fits a photo over 8 MB, strips its location, and keeps a PNG a PNG', async () => {
    const { igsid, ticketId } = await conversation();
    const photo = await heavyPhoto(3600, 2700);
    expect(photo.length).toBeGreaterThan(8 * 1024 * 1024);
    const screenshot = await sharp({
      create: { width: 200, height: 120, channels: 3, background: '#ffffff' },
    })
      .png()
      .toBuffer();
    const files = await upload([
      { name: 'huge.jpg', bytes: photo },
      { name: 'screen.png', bytes: screenshot },
    ]);
    const message = await reply(ticketId, '', files);
    await statusOf(ticketId, message.id, 'sent');
    const [fitted, png] = sentTo(igsid).map((m) => m.attachment!);
    expect(fitted!.contentType).toBe('image/jpeg');
    expect(fitted!.bytes.length).toBeLessThanOrEqual(8 * 1024 * 1024);
    expect((await sharp(fitted!.bytes).metadata()).exif).toBeUndefined();
    expect(png!.contentType).toBe('image/png');
  }, 90_000);
});
