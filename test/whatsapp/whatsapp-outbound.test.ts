import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel, Message } from '../../src/shared/api-schemas.js';
import { sampleMp4, sampleOggOpus, samplePdf } from '../fakes/samples.js';
import { jpeg } from '../support/images.js';
import { messageById, startWhatsAppWorld, ticketOf, until, type WhatsAppWorld } from './setup.js';

let w: WhatsAppWorld;
let customers = 0;
const nextCustomer = () => `1555${String(3_000_000 + ++customers).padStart(7, '0')}`;

beforeAll(async () => {
  w = await startWhatsAppWorld();
});
afterAll(() => w.close());

async function conversation(): Promise<{ from: string; ticketId: string }> {
  const from = nextCustomer();
  await w.graph.whatsapp.receive({ from, name: 'Customer', message: { type: 'text', body: 'help please' } });
  return { from, ticketId: (await ticketOf(w, from)).id };
}

async function upload(files: Array<{ name: string; bytes: Buffer; type?: string }>): Promise<Attachment[]> {
  const response = await w.agent.upload<{ attachments: Attachment[] }>(files);
  if (response.status !== 201) throw new Error(`upload: ${JSON.stringify(response.body)}`);
  return response.body.attachments;
}

async function reply(ticketId: string, text: string, attachments: Attachment[] = []): Promise<Message> {
  const response = await w.agent.request<Message>('POST', `/api/tickets/${ticketId}/messages`, {
    text,
    attachmentIds: attachments.map((a) => a.id),
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

const sentTo = (waId: string) => w.graph.whatsapp.sent.filter((m) => m.spec.waId === waId);

describe('WhatsApp replies', () => {
  it('sends text and follows the statuses to delivered', async () => {
    const { from, ticketId } = await conversation();
    const message = await reply(ticketId, 'Hello from support');
    await statusOf(ticketId, message.id, 'delivered');
    const [sent] = sentTo(from);
    expect(sent!.spec).toMatchObject({ type: 'text', body: 'Hello from support' });
    expect(sent!.request).toMatchObject({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: from,
    });
  });

  it('sends all five attachments, in order, each uploaded and sent by id, the caption on the first', async () => {
    const { from, ticketId } = await conversation();
    const images = await Promise.all([1, 2, 3, 4, 5].map((n) => jpeg(100 + n, 80)));
    const files = await upload(images.map((bytes, i) => ({ name: `photo-${i + 1}.jpg`, bytes })));
    const message = await reply(ticketId, 'Here are the five photos', files);
    await statusOf(ticketId, message.id, 'delivered');
    const sent = sentTo(from);
    expect(sent).toHaveLength(5);
    expect(sent.map((m) => m.spec.type)).toEqual(['image', 'image', 'image', 'image', 'image']);
    for (const [index, item] of sent.entries()) {
      expect(item.spec).toHaveProperty('mediaId');
      expect(
        w.graph.whatsapp.getMedia((item.spec as { mediaId: string }).mediaId)?.bytes.equals(images[index]!),
      ).toBe(true);
    }
    expect(sent.map((m) => (m.spec as { caption?: string }).caption)).toEqual([
      'Here are the five photos',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const uploads = w.graph.requests.filter((r) => r.pathname.endsWith('/media') && r.method === 'POST');
    expect(uploads.length).toBeGreaterThanOrEqual(5);
    const deliveries = await w.h.deps.db
      .selectFrom('deliveries')
      .select(['part', 'providerMessageId'])
      .where('messageId', '=', message.id)
      .orderBy('part')
      .execute();
    expect(deliveries.map((d) => d.providerMessageId)).toEqual(sent.map((m) => m.wamid));
  });

  it('keeps a document’s file name, and sends text first when the first media cannot carry a caption', async () => {
    const { from, ticketId } = await conversation();
    const files = await upload([
      { name: 'voice.ogg', bytes: sampleOggOpus(), type: 'audio/ogg' },
      { name: 'Invoice March.pdf', bytes: samplePdf(), type: 'application/pdf' },
    ]);
    const message = await reply(ticketId, 'Listen, then read', files);
    await statusOf(ticketId, message.id, 'delivered');
    expect(sentTo(from).map((m) => m.spec)).toMatchObject([
      { type: 'text', body: 'Listen, then read' },
      { type: 'audio' },
      { type: 'document', filename: 'Invoice March.pdf' },
    ]);
    expect((sentTo(from)[1]!.spec as { caption?: string }).caption).toBeUndefined();
  });

  it('sends a file WhatsApp does not take, or a video over 16 MB, as a secure link in the text', async () => {
    const { from, ticketId } = await conversation();
    const files = await upload([
      { name: 'logs.zip', bytes: Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200)]) },
      { name: 'walkthrough.mp4', bytes: sampleMp4(17 * 1024 * 1024), type: 'video/mp4' },
    ]);
    const message = await reply(ticketId, 'Files attached', files);
    await statusOf(ticketId, message.id, 'delivered');
    const [text] = sentTo(from);
    expect(sentTo(from)).toHaveLength(1);
    const body = (text!.spec as { body: string }).body;
    expect(body).toMatch(/^Files attached\n\nlogs\.zip \([^)]+\): http:\/\/127\.0\.0\.1:\d+\/media\//);
    expect(body).toMatch(/walkthrough\.mp4 \(17(\.0)? MB\): http:\/\//);
    const link = /walkthrough\.mp4 \([^)]+\): (\S+)/.exec(body)![1]!;
    const fetched = await fetch(link);
    expect(fetched.status).toBe(200);
    expect(Number(fetched.headers.get('content-length'))).toBe(17 * 1024 * 1024);
    await fetched.body?.cancel();
  });

  it('splits text longer than 4096 characters', async () => {
    const { from, ticketId } = await conversation();
    const long = `${'word '.repeat(1000)}\n\n${'more '.repeat(200)}`.trim();
    const message = await reply(ticketId, long);
    await statusOf(ticketId, message.id, 'delivered');
    const bodies = sentTo(from).map((m) => (m.spec as { body: string }).body);
    expect(bodies.length).toBe(2);
    expect(bodies.every((b) => [...b].length <= 4096)).toBe(true);
    expect(bodies.join(' ').replace(/\s+/g, ' ')).toBe(long.replace(/\s+/g, ' '));
  });
});

describe('WhatsApp statuses', () => {
  it('explains 131047 when the 24-hour window has closed', async () => {
    const { from, ticketId } = await conversation();
    w.graph.controls.setWhatsAppWindow(from, 'closed');
    const message = await reply(ticketId, 'Are you still there?');
    const failed = await statusOf(ticketId, message.id, 'failed');
    expect(failed.errorCode).toBe('131047');
    expect(failed.errorMessage).toContain(
      "More than 24 hours since the customer's last message: only templates can be sent.",
    );
  });
});

describe('WhatsApp refusals', () => {
  it('explains an upload the provider rejects, and sends nothing for it', async () => {
    const { from, ticketId } = await conversation();
    w.graph.controls.rejectWhatsAppUploads({
      status: 400,
      error: {
        message: '(#131053) Media upload error',
        code: 131053,
        details: 'Unsupported image dimensions.',
        messagingProduct: 'whatsapp',
      },
    });
    try {
      const files = await upload([{ name: 'odd.jpg', bytes: await jpeg(40, 40) }]);
      const message = await reply(ticketId, '', files);
      const failed = await statusOf(ticketId, message.id, 'failed');
      expect(failed.errorCode).toBe('131053');
      expect(failed.errorMessage).toContain('WhatsApp could not use the media');
      expect(failed.errorMessage).toContain('Unsupported image dimensions.');
      expect(sentTo(from)).toHaveLength(0);
    } finally {
      w.graph.controls.rejectWhatsAppUploads(null);
    }
  });

  it('marks the channel as needing attention when the token has expired, then sends only the missing parts on retry', async () => {
    const { from, ticketId } = await conversation();
    const images = await Promise.all([1, 2, 3, 4].map((n) => jpeg(60 + n, 60)));
    const uploaded = await upload(images.map((bytes, i) => ({ name: `p${i + 1}.jpg`, bytes })));
    let accepted = 0;
    const expireAfterTwo = () => {
      accepted += 1;
      if (accepted === 2) w.graph.controls.expireAccessToken();
    };
    w.graph.events.on('whatsapp-accepted', expireAfterTwo);
    try {
      const message = await reply(ticketId, 'four photos', uploaded);
      const failed = await statusOf(ticketId, message.id, 'failed');
      expect(failed.errorCode).toBe('190');
      expect(failed.errorMessage).toContain('access token has expired');
      expect(sentTo(from)).toHaveLength(2);
      const channels = await w.agent.request<{ channels: Channel[] }>('GET', '/api/channels');
      expect(channels.body.channels.find((c) => c.id === w.channel.id)).toMatchObject({
        health: 'needs_attention',
      });
    } finally {
      w.graph.events.off('whatsapp-accepted', expireAfterTwo);
      w.graph.controls.restoreAccessToken();
    }
    const [message] = (
      await w.agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticketId}/messages`)
    ).body.messages;
    const retried = await w.agent.request<Message>('POST', `/api/messages/${message!.id}/retry`);
    expect(retried.status).toBe(200);
    await statusOf(ticketId, message!.id, 'delivered');
    const sent = sentTo(from);
    expect(sent).toHaveLength(4);
    for (const [index, item] of sent.entries()) {
      const media = w.graph.whatsapp.getMedia((item.spec as { mediaId: string }).mediaId);
      expect(media?.bytes.equals(images[index]!)).toBe(true);
    }
    const channels = await w.agent.request<{ channels: Channel[] }>('GET', '/api/channels');
    expect(channels.body.channels.find((c) => c.id === w.channel.id)).toMatchObject({ health: 'ok' });
  });
});
