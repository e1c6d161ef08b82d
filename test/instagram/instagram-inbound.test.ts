import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstagramEnvelope, igMessageEvent, igReadEvent, newInstagramMid } from '../fakes/graph.js';
import { sampleJpeg, sampleMp4, samplePdf, samplePng } from '../fakes/samples.js';
import { makeM4a, makeVideo } from '../whatsapp/real-media.js';
import {
  VERIFY_TOKEN,
  settled,
  startInstagramWorld,
  thread,
  ticketOf,
  until,
  type InstagramWorld,
} from './setup.js';

const m4a = await makeM4a();
const video = await makeVideo(1);

let w: InstagramWorld;
let customers = 0;
const nextCustomer = () => `65432100${String(10_000_000 + ++customers)}`;

beforeAll(async () => {
  w = await startInstagramWorld({}, { MAX_INBOUND_MEDIA_MB: '1' });
});
afterAll(() => w.close());

const webhookUrl = () => w.channel.webhookUrl as string;
async function countMessages(): Promise<number> {
  const row = await w.h.deps.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('Instagram webhook verification and signatures', () => {
  it('echoes hub.challenge when the verify token matches, and answers 403 otherwise', async () => {
    expect(await w.graph.verifyWebhook(webhookUrl(), VERIFY_TOKEN, 'ig-challenge')).toMatchObject({
      status: 200,
      body: 'ig-challenge',
    });
    expect((await w.graph.verifyWebhook(webhookUrl(), 'wrong-token-here', 'nope')).status).toBe(403);
  });

  it('answers 403 and stores nothing for a bad signature', async () => {
    const before = await countMessages();
    for (const signing of [{ appSecret: 'another-secret' }, { omitSignature: true }, { tamper: true }]) {
      const result = await w.graph.instagram.receive({ senderId: nextCustomer(), text: 'forged', signing });
      expect(result.delivery.response?.status).toBe(403);
    }
    expect(await countMessages()).toBe(before);
  });
});

describe('Instagram inbound messages', () => {
  it('stores a message once, whichever product delivers it and however often', async () => {
    const sender = nextCustomer();
    const first = await w.graph.instagram.receive({ senderId: sender, text: 'hello there' });
    await w.graph.instagram.receive({ senderId: sender, mid: first.mid, text: 'hello there' });
    const asPage = { ...first.envelope, object: 'page' };
    expect((await w.graph.deliverInstagram(webhookUrl(), asPage)).response?.status).toBe(200);
    const asChanges = {
      object: 'instagram',
      entry: [
        {
          id: w.graph.igAccountId,
          time: Date.now(),
          changes: [{ field: 'messages', value: first.envelope.entry[0]!.messaging[0] }],
        },
      ],
    };
    expect((await w.graph.deliverInstagram(webhookUrl(), asChanges)).response?.status).toBe(200);
    const messages = await thread(w, (await ticketOf(w, sender)).id);
    expect(messages.map((m) => m.text)).toEqual(['hello there']);
  });

  it.skipIf(!m4a || !video)('downloads image, video, audio and file attachments at once', async () => {
    const sender = nextCustomer();
    const jpeg = await sampleJpeg(40, 30);
    await w.graph.instagram.receive({
      senderId: sender,
      text: 'all of them',
      attachments: [
        { type: 'image', bytes: jpeg, contentType: 'image/jpeg' },
        { type: 'video', bytes: video!, contentType: 'video/mp4' },
        { type: 'audio', bytes: m4a!, contentType: 'audio/mp4' },
        { type: 'file', bytes: samplePdf(), contentType: 'application/pdf' },
      ],
    });
    const [message] = await settled(w, (await ticketOf(w, sender)).id);
    expect(message!.text).toBe('all of them');
    expect(message!.attachments.map((a) => [a.kind, a.state])).toEqual([
      ['image', 'ready'],
      ['video', 'ready'],
      ['audio', 'ready'],
      ['pdf', 'ready'],
    ]);
    expect(message!.attachments[0]).toMatchObject({ width: 40, height: 30, size: jpeg.length });
  });

  it('stores every attachment of a batch whose links expire one second after delivery', async () => {
    const sender = nextCustomer();
    const images = await Promise.all([1, 2, 3, 4].map((n) => samplePng(20 + n, 20)));
    const events = images.map((bytes, index) => {
      const hosted = w.graph.instagram.addCdnMedia({ bytes, contentType: 'image/png', expiresInMs: 1000 });
      return igMessageEvent({
        senderId: sender,
        recipientId: w.graph.igAccountId,
        message: {
          mid: newInstagramMid(w.graph.igAccountId),
          ...(index === 0 ? { text: 'four photos' } : {}),
          attachments: [{ type: 'image', payload: { url: hosted.url } }],
        },
      });
    });
    const twoInOne = igMessageEvent({
      senderId: sender,
      recipientId: w.graph.igAccountId,
      message: {
        mid: newInstagramMid(w.graph.igAccountId),
        attachments: [1, 2].map((n) => ({
          type: 'image' as const,
          payload: {
            url: w.graph.instagram.addCdnMedia({
              bytes: images[n]!,
              contentType: 'image/png',
              expiresInMs: 1000,
            }).url,
          },
        })),
      },
    });
    const delivery = await w.graph.deliverInstagram(
      webhookUrl(),
      buildInstagramEnvelope(w.graph.igAccountId, [...events, twoInOne]),
    );
    expect(delivery.response?.status).toBe(200);
    const messages = await settled(w, (await ticketOf(w, sender)).id);
    expect(messages.map((m) => m.attachments.map((a) => a.state))).toEqual([
      ['ready'],
      ['ready'],
      ['ready'],
      ['ready'],
      ['ready', 'ready'],
    ]);
    expect(messages.map((m) => m.attachments[0]!.width)).toEqual([21, 22, 23, 24, 22]);
  });

  it('says "no longer available on Instagram" for a link that has expired, answers 403, or serves a web page', async () => {
    const sender = nextCustomer();
    const png = await samplePng();
    await w.graph.instagram.receive({
      senderId: sender,
      attachments: [
        { type: 'image', bytes: png, contentType: 'image/png', expiresInMs: -1000 },
        { type: 'image', bytes: png, contentType: 'image/png', behaviour: 'forbidden' },
        { type: 'image', bytes: png, contentType: 'image/png', behaviour: 'html' },
      ],
    });
    const [message] = await settled(w, (await ticketOf(w, sender)).id);
    expect(message!.attachments.map((a) => a.state)).toEqual(['unavailable', 'unavailable', 'unavailable']);
    for (const attachment of message!.attachments) {
      expect(attachment.stateReason).toContain('no longer available on Instagram');
      expect(attachment.url).toBeNull();
    }
    expect(message!.attachments[2]!.stateReason).toContain('web page');
  });

  it('keeps a huge file behind a link as "too large", without reading it all', async () => {
    const sender = nextCustomer();
    const result = await w.graph.instagram.receive({
      senderId: sender,
      attachments: [
        {
          type: 'video',
          bytes: sampleMp4(1024),
          contentType: 'video/mp4',
          behaviour: 'huge',
          hugeBytes: 64 * 1024 * 1024,
        },
      ],
    });
    const [message] = await settled(w, (await ticketOf(w, sender)).id);
    expect(message!.attachments[0]).toMatchObject({ state: 'too_large', url: null });
    expect(message!.attachments[0]!.stateReason).toContain('limit');
    expect(result.attachmentUrls).toHaveLength(1);
  });

  it('marks attachments without a link as unavailable, and keeps the rest of the message', async () => {
    const sender = nextCustomer();
    await w.graph.instagram.receive({
      senderId: sender,
      text: 'see attached',
      attachments: [{ type: 'image' }, { type: 'file', extraPayload: { url: 42 } }],
    });
    const [message] = await settled(w, (await ticketOf(w, sender)).id);
    expect(message!.text).toBe('see attached');
    expect(message!.attachments.map((a) => a.state)).toEqual(['unavailable', 'unavailable']);
    expect(message!.attachments[0]!.stateReason).toContain('without a link');
  });

  it('shows a story mention from its link, never storing it', async () => {
    const sender = nextCustomer();
    const result = await w.graph.instagram.receive({
      senderId: sender,
      attachments: [{ type: 'story_mention', bytes: await sampleJpeg(), contentType: 'image/jpeg' }],
    });
    const storyUrl = result.attachmentUrls[0]!;
    const [message] = await settled(w, (await ticketOf(w, sender)).id);
    expect(message!.meta).toMatchObject({ storyMention: { url: storyUrl } });
    expect(message!.attachments[0]).toMatchObject({ state: 'ready', url: storyUrl, kind: 'image' });
    const row = await w.h.deps.db
      .selectFrom('attachments')
      .select(['blobKey'])
      .where('id', '=', message!.attachments[0]!.id)
      .executeTakeFirstOrThrow();
    expect(row.blobKey).toBeNull();
    const cdnHits = w.graph.requests.filter((r) => storyUrl.includes(r.pathname));
    expect(cdnHits).toHaveLength(0);
  });

  it('shows shares, reels and posts as link cards', async () => {
    const sender = nextCustomer();
    await w.graph.instagram.receive({
      senderId: sender,
      attachments: [
        { type: 'share', url: 'https://www.instagram.com/p/Cabc123/' },
        {
          type: 'ig_reel',
          url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1',
          title: 'Our new drop',
        },
        {
          type: 'ig_post',
          url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=2',
          title: 'Summer sale',
        },
      ],
    });
    const ticket = await ticketOf(w, sender);
    // The inbox line shows what was shared instead of an empty preview.
    expect(ticket).toMatchObject({
      preview: 'https://www.instagram.com/p/Cabc123/',
      subject: 'https://www.instagram.com/p/Cabc123/',
    });
    const [message] = await thread(w, ticket.id);
    expect(message!.attachments).toEqual([]);
    expect(message!.meta.cards).toEqual([
      { kind: 'share', url: 'https://www.instagram.com/p/Cabc123/' },
      {
        kind: 'ig_reel',
        url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1',
        title: 'Our new drop',
      },
      {
        kind: 'ig_post',
        url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=2',
        title: 'Summer sale',
      },
    ]);
  });

  it('marks a message the customer deleted', async () => {
    const sender = nextCustomer();
    const sent = await w.graph.instagram.receive({ senderId: sender, text: 'oops' });
    await w.graph.instagram.receive({ senderId: sender, mid: sent.mid, isDeleted: true });
    const [message] = await thread(w, (await ticketOf(w, sender)).id);
    expect(message!.meta).toMatchObject({ deletedByCustomer: true });
  });

  it('shows unsupported content as such', async () => {
    const sender = nextCustomer();
    await w.graph.instagram.receive({ senderId: sender, isUnsupported: true });
    await w.graph.instagram.receive({
      senderId: sender,
      attachments: [{ type: 'location', extraPayload: { coordinates: { lat: 1, long: 2 } } }],
    });
    const [unsupported, location] = await thread(w, (await ticketOf(w, sender)).id);
    expect(unsupported!.meta).toMatchObject({ unsupported: { kind: 'unsupported' } });
    expect(location!.meta).toMatchObject({ unsupported: { kind: 'location' } });
  });

  it('skips malformed entries and keeps the good ones', async () => {
    const sender = nextCustomer();
    const good = igMessageEvent({
      senderId: sender,
      recipientId: w.graph.igAccountId,
      message: {
        mid: newInstagramMid(w.graph.igAccountId),
        text: 'still here',
        attachments: [{ bogus: true }] as never,
      },
    });
    const envelope = {
      object: 'instagram',
      entry: [
        {
          id: w.graph.igAccountId,
          time: Date.now(),
          messaging: [{ recipient: { id: '1' } }, { sender: { id: sender } }, 'x', good],
        },
        { id: w.graph.igAccountId, messaging: 'not a list' },
        'not an entry',
      ],
    };
    expect((await w.graph.deliverInstagram(webhookUrl(), envelope)).response?.status).toBe(200);
    const [message] = await thread(w, (await ticketOf(w, sender)).id);
    expect(message).toMatchObject({ text: 'still here', meta: { unsupported: { kind: 'malformed' } } });
  });

  it('stores a message the business sent from the Instagram app itself, once', async () => {
    const sender = nextCustomer();
    await w.graph.instagram.receive({ senderId: sender, text: 'question' });
    const echo = await w.graph.instagram.receive({
      senderId: sender,
      text: 'answered from the phone',
      isEcho: true,
    });
    await w.graph.instagram.receive({
      senderId: sender,
      mid: echo.mid,
      text: 'answered from the phone',
      isEcho: true,
    });
    const ticketId = (await ticketOf(w, sender)).id;
    const messages = await until(async () => {
      await w.h.deps.queue.idle();
      const list = await thread(w, ticketId);
      return list.length >= 2 ? list : null;
    }, 'the echo to be settled');
    expect(messages.map((m) => [m.direction, m.text])).toEqual([
      ['inbound', 'question'],
      ['outbound', 'answered from the phone'],
    ]);
    expect(messages[1]!.meta).toMatchObject({ sentOutsideHelpdesk: true });
  });

  it('ignores a read receipt for a message it does not know', async () => {
    const event = igReadEvent({
      senderId: nextCustomer(),
      recipientId: w.graph.igAccountId,
      mid: 'unknown-mid',
    });
    const delivery = await w.graph.deliverInstagram(
      webhookUrl(),
      buildInstagramEnvelope(w.graph.igAccountId, [event]),
    );
    expect(delivery.response?.status).toBe(200);
  });
});
