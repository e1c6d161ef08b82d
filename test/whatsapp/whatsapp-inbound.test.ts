import { createHash } from 'node:crypto';
import type { Channel } from '../../src/shared/api-schemas.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeHubSignature } from '../../src/server/channels/meta/hub-signature.js';
import {
  buildWhatsAppEnvelope,
  newWamid,
  waContact,
  waError,
  waMediaMessage,
  waStatus,
  waTextMessage,
} from '../fakes/graph.js';
import { sampleJpeg, samplePdf, samplePng, sampleWebp } from '../fakes/samples.js';
import { makeVideo, makeVoiceNote } from './real-media.js';
import {
  APP_SECRET,
  VERIFY_TOKEN,
  settled,
  startWhatsAppWorld,
  thread,
  ticketOf,
  type WhatsAppWorld,
} from './setup.js';

const voiceNote = await makeVoiceNote();
const clip = await makeVideo(1);

let w: WhatsAppWorld;
let customers = 0;
const nextCustomer = () => `1555${String(2_000_000 + ++customers).padStart(7, '0')}`;

beforeAll(async () => {
  w = await startWhatsAppWorld();
});
afterAll(() => w.close());

const webhookUrl = () => w.channel.webhookUrl as string;

async function postRaw(body: string, signature?: string): Promise<Response> {
  return fetch(webhookUrl(), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }),
    },
    body,
  });
}

async function countMessages(): Promise<number> {
  const row = await w.h.deps.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('WhatsApp webhook verification', () => {
  it('echoes hub.challenge when the verify token matches, and answers 403 otherwise', async () => {
    const good = await w.graph.verifyWebhook(webhookUrl(), VERIFY_TOKEN, 'challenge-1234');
    expect(good).toMatchObject({ status: 200, body: 'challenge-1234' });
    const bad = await w.graph.verifyWebhook(webhookUrl(), 'not-the-token', 'challenge-5678');
    expect(bad.status).toBe(403);
    expect(bad.body).not.toContain('challenge-5678');
  });

  it('refuses a GET that is not a subscription', async () => {
    const response = await fetch(`${webhookUrl()}?hub.verify_token=${VERIFY_TOKEN}&hub.challenge=x`);
    expect(response.status).toBe(403);
  });
});

describe('WhatsApp signatures', () => {
  it('answers 403 and stores nothing for a forged, missing or tampered signature', async () => {
    const before = await countMessages();
    const from = nextCustomer();
    for (const signing of [{ appSecret: 'someone-else' }, { omitSignature: true }, { tamper: true }]) {
      const result = await w.graph.whatsapp.receive({
        from,
        message: { type: 'text', body: 'forged' },
        signing,
      });
      expect(result.delivery.response?.status).toBe(403);
    }
    expect(await countMessages()).toBe(before);
  });

  it('verifies the raw bytes (Meta escapes slashes and non-ASCII; re-serialising would break it)', async () => {
    const from = nextCustomer();
    const result = await w.graph.whatsapp.receive({
      from,
      name: 'Zoë',
      message: { type: 'text', body: 'a/b — ünïcode ✓' },
    });
    expect(result.delivery.body.toString()).toContain('\\/');
    expect(result.delivery.response?.status).toBe(200);
    const [message] = await thread(w, (await ticketOf(w, from)).id);
    expect(message).toMatchObject({ text: 'a/b — ünïcode ✓', direction: 'inbound', author: { name: 'Zoë' } });
  });
});

describe('WhatsApp inbound messages', () => {
  it('stores text once, however often Meta delivers it', async () => {
    const from = nextCustomer();
    const first = await w.graph.whatsapp.receive({ from, message: { type: 'text', body: 'hello' } });
    await w.graph.whatsapp.receive({ from, id: first.wamid, message: { type: 'text', body: 'hello' } });
    await w.graph.deliverWhatsApp(webhookUrl(), first.envelope);
    const messages = await thread(w, (await ticketOf(w, from)).id);
    expect(messages.map((m) => m.text)).toEqual(['hello']);
  });

  it.skipIf(!voiceNote || !clip)(
    'downloads every media type with the two-step flow, keeping captions, file names and voice notes',
    async () => {
      const from = nextCustomer();
      const jpeg = await sampleJpeg(32, 24);
      const pdf = samplePdf();
      await w.graph.whatsapp.receive({
        from,
        message: { type: 'image', bytes: jpeg, mimeType: 'image/jpeg', caption: 'the damage' },
      });
      await w.graph.whatsapp.receive({
        from,
        message: {
          type: 'document',
          bytes: pdf,
          mimeType: 'application/pdf',
          filename: 'Invoice 42.pdf',
          caption: 'invoice',
        },
        sha256Encoding: 'hex',
      });
      await w.graph.whatsapp.receive({
        from,
        message: { type: 'audio', bytes: voiceNote!, mimeType: 'audio/ogg; codecs=opus', voice: true },
      });
      await w.graph.whatsapp.receive({
        from,
        message: { type: 'audio', bytes: voiceNote!, mimeType: 'audio/ogg; codecs=opus', voice: false },
      });
      await w.graph.whatsapp.receive({
        from,
        message: { type: 'video', bytes: clip!, mimeType: 'video/mp4', caption: 'unboxing' },
      });
      await w.graph.whatsapp.receive({
        from,
        message: { type: 'sticker', bytes: await sampleWebp(), mimeType: 'image/webp' },
      });
      const messages = await settled(w, (await ticketOf(w, from)).id);
      expect(messages.map((m) => m.text)).toEqual(['the damage', 'invoice', '', '', 'unboxing', '']);
      expect(messages.map((m) => m.attachments.map((a) => a.state))).toEqual([
        ['ready'],
        ['ready'],
        ['ready'],
        ['ready'],
        ['ready'],
        ['ready'],
      ]);
      const [image, document, voice, audio, video, sticker] = messages;
      expect(image!.attachments[0]).toMatchObject({
        kind: 'image',
        contentType: 'image/jpeg',
        width: 32,
        height: 24,
        size: jpeg.length,
      });
      expect(document!.attachments[0]).toMatchObject({
        name: 'Invoice 42.pdf',
        kind: 'pdf',
        size: pdf.length,
      });
      expect(voice!.meta).toMatchObject({ voiceNote: true });
      expect(voice!.attachments[0]!.name).toMatch(/^voice-note/);
      expect(voice!.attachments[0]!.kind).toBe('audio');
      expect(audio!.meta.voiceNote).toBeUndefined();
      expect(video!.attachments[0]).toMatchObject({ kind: 'video', contentType: 'video/mp4' });
      expect(sticker!.meta).toMatchObject({ sticker: { animated: false } });
      expect(sticker!.attachments[0]).toMatchObject({ contentType: 'image/webp' });

      const stored = await w.h.deps.db
        .selectFrom('attachments')
        .select(['blobKey'])
        .where('id', '=', image!.attachments[0]!.id)
        .executeTakeFirstOrThrow();
      expect(stored.blobKey).toContain(createHash('sha256').update(jpeg).digest('hex').slice(4));
      const downloads = w.graph.requests.filter((r) =>
        r.pathname.includes('/whatsapp_business/attachments/'),
      );
      expect(downloads.every((r) => r.headers.authorization === `Bearer ${'EAAG-whatsapp-token-123'}`)).toBe(
        true,
      );
    },
  );

  it('stores all five media messages of one webhook batch, in order', async () => {
    const from = nextCustomer();
    const items = await Promise.all([1, 2, 3, 4, 5].map((n) => samplePng(10 + n, 10)));
    const messages = items.map((bytes, index) => {
      const media = w.graph.whatsapp.addMedia(bytes, 'image/png');
      return waMediaMessage({
        from,
        type: 'image',
        media: {
          id: media.id,
          mime_type: 'image/png',
          sha256: media.sha256Base64,
          caption: `photo ${index + 1}`,
        },
      });
    });
    const envelope = buildWhatsAppEnvelope(w.graph.whatsappAccount, {
      contacts: [waContact(from, 'Batch Sender')],
      messages,
    });
    const delivery = await w.graph.deliverWhatsApp(webhookUrl(), envelope);
    expect(delivery.response?.status).toBe(200);
    const stored = await settled(w, (await ticketOf(w, from)).id);
    expect(stored.map((m) => m.text)).toEqual(['photo 1', 'photo 2', 'photo 3', 'photo 4', 'photo 5']);
    expect(stored.map((m) => m.attachments[0]?.width)).toEqual([11, 12, 13, 14, 15]);
    expect(stored.every((m) => m.attachments[0]?.state === 'ready')).toBe(true);
  });

  it('shows unsupported messages and their errors to the agent', async () => {
    const from = nextCustomer();
    await w.graph.whatsapp.receive({ from, message: { type: 'unsupported' } });
    const [message] = await thread(w, (await ticketOf(w, from)).id);
    expect(message!.meta).toMatchObject({
      unsupported: { kind: 'unsupported', reason: 'Message type is currently not supported.' },
      providerErrors: [
        {
          code: '131051',
          title: 'Message type unknown',
          details: 'Message type is currently not supported.',
        },
      ],
    });
  });

  it('keeps a message of a type it does not know, marked as such', async () => {
    const from = nextCustomer();
    const unknown = {
      ...waTextMessage({ from, body: 'x' }),
      type: 'hologram',
      text: undefined,
      hologram: { id: '1' },
    };
    const located = {
      ...waTextMessage({ from, body: 'x' }),
      type: 'location',
      text: undefined,
      location: { latitude: 52.52, longitude: 13.405, name: 'Shop', address: 'Main St 1' },
    };
    await w.graph.deliverWhatsApp(
      webhookUrl(),
      buildWhatsAppEnvelope(w.graph.whatsappAccount, {
        contacts: [waContact(from, 'X')],
        messages: [unknown, located],
      }),
    );
    const [first, second] = await thread(w, (await ticketOf(w, from)).id);
    expect(first!.meta).toMatchObject({ unsupported: { kind: 'hologram' } });
    expect(second).toMatchObject({
      text: 'Shop\nMain St 1',
      meta: { cards: [{ kind: 'location', title: 'Shop' }] },
    });
  });

  it('accepts extra fields, skips items missing what it needs, and keeps the rest of the batch', async () => {
    const from = nextCustomer();
    const good = { ...waTextMessage({ from, body: 'kept' }), brand_new_field: { nested: true } };
    const noId = { from, timestamp: '1700000000', type: 'text', text: { body: 'no id' } };
    const noMediaId = {
      ...waTextMessage({ from, body: '' }),
      type: 'image',
      text: undefined,
      image: { mime_type: 'image/jpeg' },
    };
    const badCaption = waMediaMessage({
      from,
      type: 'document',
      media: {
        ...w.graph.whatsapp.addMedia(samplePdf(), 'application/pdf'),
        mime_type: 'application/pdf',
        sha256: 'x',
      },
    });
    (badCaption.document as unknown as Record<string, unknown>).caption = 42;
    const envelope = buildWhatsAppEnvelope(w.graph.whatsappAccount, {
      contacts: [waContact(from, 'Partial')],
      messages: [good, noId, noMediaId, badCaption] as never,
    });
    const junkFirst = {
      ...envelope,
      extra_top_level: 1,
      entry: ['junk', { id: 'x', changes: ['junk', { field: 'messages' }, ...envelope.entry[0]!.changes] }],
    };
    const delivery = await w.graph.deliverWhatsApp(webhookUrl(), junkFirst);
    expect(delivery.response?.status).toBe(200);
    const messages = await settled(w, (await ticketOf(w, from)).id);
    expect(messages.map((m) => m.text)).toEqual(['kept', '', '']);
    expect(messages[1]!.attachments[0]).toMatchObject({ state: 'unavailable' });
    expect(messages[1]!.attachments[0]!.stateReason).toContain('without a media id');
    expect(messages[2]!.attachments[0]).toMatchObject({ state: 'ready', kind: 'pdf' });
  });

  it('answers 400 to a signed body that is not JSON, and 200 to JSON of another shape', async () => {
    const body = 'not json {';
    expect((await postRaw(body, computeHubSignature(Buffer.from(body), APP_SECRET))).status).toBe(400);
    const odd = JSON.stringify([1, 2, 3]);
    expect((await postRaw(odd, computeHubSignature(Buffer.from(odd), APP_SECRET))).status).toBe(200);
    const other = JSON.stringify({ object: 'page', entry: [{ id: '1', changes: 'nope' }] });
    expect((await postRaw(other, computeHubSignature(Buffer.from(other), APP_SECRET))).status).toBe(200);
  });

  it('ignores events addressed to another phone number', async () => {
    const from = nextCustomer();
    const envelope = buildWhatsAppEnvelope(
      { ...w.graph.whatsappAccount, phoneNumberId: '999999999' },
      { contacts: [waContact(from, 'Elsewhere')], messages: [waTextMessage({ from, body: 'wrong number' })] },
    );
    expect((await w.graph.deliverWhatsApp(webhookUrl(), envelope)).response?.status).toBe(200);
    const list = await w.agent.request<{ tickets: unknown[] }>('GET', `/api/tickets?q=${from}`);
    expect(list.body.tickets).toEqual([]);
  });

  it('marks media whose id is gone as unavailable, with the reason', async () => {
    const from = nextCustomer();
    const media = w.graph.whatsapp.addMedia(await samplePng(), 'image/png');
    w.graph.controls.failMediaId(media.id);
    await w.graph.deliverWhatsApp(
      webhookUrl(),
      buildWhatsAppEnvelope(w.graph.whatsappAccount, {
        contacts: [waContact(from, 'Gone')],
        messages: [
          waMediaMessage({
            from,
            type: 'image',
            media: { id: media.id, mime_type: 'image/png', sha256: 'x' },
          }),
        ],
      }),
    );
    const [message] = await settled(w, (await ticketOf(w, from)).id);
    expect(message!.attachments[0]).toMatchObject({ state: 'unavailable', url: null });
    expect(message!.attachments[0]!.stateReason).toContain('no longer available on WhatsApp');
  });

  it('fetches a fresh URL when the download lapses half way', async () => {
    const from = nextCustomer();
    const png = await samplePng(300, 200);
    const media = w.graph.whatsapp.addMedia(png, 'image/png');
    w.graph.controls.expireMidDownload(media.id);
    await w.graph.deliverWhatsApp(
      webhookUrl(),
      buildWhatsAppEnvelope(w.graph.whatsappAccount, {
        contacts: [waContact(from, 'Lapse')],
        messages: [
          waMediaMessage({
            from,
            type: 'image',
            media: { id: media.id, mime_type: 'image/png', sha256: 'x' },
          }),
        ],
      }),
    );
    const [message] = await settled(w, (await ticketOf(w, from)).id);
    expect(message!.attachments[0]).toMatchObject({ state: 'ready', size: png.length, width: 300 });
    const lookups = w.graph.requests.filter((r) => r.pathname.endsWith(`/${media.id}`));
    expect(lookups.length).toBeGreaterThanOrEqual(2);
  });

  it('does not trust a file_size that lies', async () => {
    const from = nextCustomer();
    const png = await samplePng(50, 40);
    for (const lie of [12, '999999999999']) {
      const media = w.graph.whatsapp.addMedia(png, 'image/png');
      w.graph.controls.lieAboutFileSize(media.id, lie);
      await w.graph.deliverWhatsApp(
        webhookUrl(),
        buildWhatsAppEnvelope(w.graph.whatsappAccount, {
          contacts: [waContact(from, 'Liar')],
          messages: [
            waMediaMessage({
              from,
              type: 'image',
              media: { id: media.id, mime_type: 'image/png', sha256: 'x' },
            }),
          ],
        }),
      );
    }
    const messages = await settled(w, (await ticketOf(w, from)).id);
    expect(messages.map((m) => m.attachments[0])).toMatchObject([
      { state: 'ready', size: png.length },
      { state: 'ready', size: png.length },
    ]);
  });

  it('turns webhook errors[] into a channel notice', async () => {
    const envelope = buildWhatsAppEnvelope(w.graph.whatsappAccount, {
      errors: [
        waError(131000, 'Something went wrong', 'Message failed to send because of an unknown error.'),
      ],
    });
    expect((await w.graph.deliverWhatsApp(webhookUrl(), envelope)).response?.status).toBe(200);
    const list = await w.agent.request<{ channels: Channel[] }>('GET', '/api/channels');
    const channel = list.body.channels.find((c) => c.id === w.channel.id);
    expect(channel?.health).toBe('needs_attention');
    expect(channel?.healthReason).toContain('Something went wrong (131000)');
    await w.h.deps.db.updateTable('channels').set({ health: 'ok', healthReason: null }).execute();
  });

  it('ignores statuses for messages it did not send', async () => {
    const envelope = buildWhatsAppEnvelope(w.graph.whatsappAccount, {
      statuses: [waStatus({ id: newWamid(), status: 'delivered', recipientId: nextCustomer() })],
    });
    expect((await w.graph.deliverWhatsApp(webhookUrl(), envelope)).response?.status).toBe(200);
  });
});
