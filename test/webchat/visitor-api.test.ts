import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, Ticket } from '../../src/shared/api-schemas.js';
import type { VisitorMessage, VisitorSocketFrame, WidgetConfig } from '../../src/shared/webchat-api.js';
import { jpeg, png } from '../support/images.js';
import {
  agentReply,
  agentThread,
  createWebchatHarness,
  nextClientId,
  openVisitorSocket,
  SHOP_ORIGIN,
  tinyPdf,
  visitorClient,
  type WebchatSetup,
} from './support.js';

let s: WebchatSetup;

beforeAll(async () => {
  s = await createWebchatHarness({
    config: {
      title: { en: 'Chat with Lumen', 'pt-BR': 'Fale com a Lumen' },
      greeting: 'Hello!',
      color: '#0f766e',
      locale: 'en',
    },
  });
});
afterAll(() => s.h.close());

async function ticketOf(visitorName: string): Promise<Ticket> {
  const response = await s.agent.request<{ tickets: Ticket[] }>(
    'GET',
    `/api/tickets?channelId=${s.channel.id}`,
  );
  const ticket = response.body.tickets.find((candidate) => candidate.contact.name === visitorName);
  if (!ticket) throw new Error(`no ticket for ${visitorName}`);
  return ticket;
}

describe('widget configuration', () => {
  it('is public and carries the texts by language, the colour and the upload limits', async () => {
    const visitor = visitorClient(s.h, s.channel.id);
    const response = await visitor.request<WidgetConfig>('GET', 'config');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
    expect(response.body).toMatchObject({
      channelId: s.channel.id,
      title: { en: 'Chat with Lumen', 'pt-BR': 'Fale com a Lumen' },
      greeting: { en: 'Hello!' },
      color: '#0f766e',
      locale: 'en',
      askForContact: true,
    });
    expect(response.body.limits.perMessage).toBe(10);
    expect(response.body.limits.image.maxBytes).toBe(25 * 1024 * 1024);
    expect(response.body.limits.image.accept).toContain('image/png');
  });

  it('refuses pages outside the allowed origins, and answers preflights for allowed ones', async () => {
    const stranger = visitorClient(s.h, s.channel.id, 'https://evil.example');
    const refused = await stranger.request('GET', 'config');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'origin_not_allowed' } });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect((await stranger.request('POST', 'visitors', {})).status).toBe(403);

    const preflight = await visitorClient(s.h, s.channel.id).request('OPTIONS', 'messages', undefined, {
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, x-visitor-token',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-visitor-token');
  });

  it('is not found for a channel that is not a webchat', async () => {
    const response = await visitorClient(s.h, 'no-such-channel').request('GET', 'config');
    expect(response.status).toBe(404);
  });
});

describe('visitors and messages', () => {
  it('creates a visitor whose token is stored only as a hash', async () => {
    const visitor = visitorClient(s.h, s.channel.id);
    const created = await visitor.start();
    expect(created.token).toMatch(/^sbv_[\w-]{40,}$/);
    const row = await s.h.deps.db
      .selectFrom('webchatVisitors')
      .selectAll()
      .where('id', '=', created.visitor.id)
      .executeTakeFirstOrThrow();
    expect(row.tokenHash).toBe(createHash('sha256').update(created.token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const me = await visitor.request('GET', 'visitor');
    expect(me.body).toEqual({ id: created.visitor.id, name: null, email: null });
  });

  it('needs a valid token to write', async () => {
    const visitor = visitorClient(s.h, s.channel.id);
    expect((await visitor.send('hello')).status).toBe(401);
    visitor.token = 'sbv_not-a-real-token-at-all-000000000000000';
    expect((await visitor.send('hello')).status).toBe(401);
  });

  it('turns a message into a ticket the agents see, once however often it is retried', async () => {
    const visitor = visitorClient(s.h, s.channel.id);
    const { visitor: me } = await visitor.start();
    const clientId = nextClientId();
    const first = await visitor.send('Where is my order #1234?', [], clientId);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      from: 'visitor',
      text: 'Where is my order #1234?',
      status: 'received',
    });
    const again = await visitor.send('Where is my order #1234?', [], clientId);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);

    const name = `Website visitor ${me.id.replace(/-/g, '').slice(-4).toUpperCase()}`;
    const ticket = await ticketOf(name);
    expect(ticket.channel.kind).toBe('webchat');
    const thread = await agentThread(s.agent, ticket.id);
    expect(thread.map((message) => message.text)).toEqual(['Where is my order #1234?']);
    expect(thread[0]).toMatchObject({ direction: 'inbound', author: { kind: 'contact', name } });
  });

  it('records the name and e-mail a visitor leaves on their contact', async () => {
    const visitor = visitorClient(s.h, s.channel.id);
    await visitor.start();
    await visitor.send('Hi');
    const updated = await visitor.request('PATCH', 'visitor', {
      name: 'Ana Souza',
      email: 'Ana@Example.com',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Ana Souza', email: 'ana@example.com' });
    const ticket = await ticketOf('Ana Souza');
    const contact = await s.agent.request<{ email: string }>('GET', `/api/contacts/${ticket.contact.id}`);
    expect(contact.body.email).toBe('ana@example.com');
  });

  it('sends images and files, and the agent sees them with a thumbnail', async () => {
    const visitor = visitorClient(s.h, s.channel.id);
    await visitor.start({ name: 'Bruno' });
    const photo = await jpeg(900, 600);
    const uploaded = await visitor.upload([
      { name: 'broken-mug.jpg', bytes: photo, type: 'image/jpeg' },
      { name: 'receipt.pdf', bytes: tinyPdf(), type: 'application/pdf' },
    ]);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.attachments).toMatchObject([
      { name: 'broken-mug.jpg', kind: 'image', width: 900, height: 600 },
      { name: 'receipt.pdf', kind: 'pdf', contentType: 'application/pdf' },
    ]);
    const sent = await visitor.send(
      'It arrived broken',
      uploaded.body.attachments.map((attachment) => attachment.id),
    );
    expect(sent.status).toBe(201);
    expect(sent.body.attachments.map((attachment) => attachment.name)).toEqual([
      'broken-mug.jpg',
      'receipt.pdf',
    ]);
    await s.h.deps.queue.idle();

    const ticket = await ticketOf('Bruno');
    const [message] = await agentThread(s.agent, ticket.id);
    expect(message?.attachments).toMatchObject([
      { name: 'broken-mug.jpg', state: 'ready', thumbnailUrl: expect.stringContaining('/thumbnail') },
      { name: 'receipt.pdf', state: 'ready' },
    ]);
    const thumb = await s.agent.request('GET', message!.attachments[0]!.thumbnailUrl!);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');

    // A file already sent cannot be sent again with another message.
    const reuse = await visitor.send('again', [uploaded.body.attachments[0]!.id]);
    expect(reuse.status).toBe(409);
    // ...and the refused message was rolled back with it.
    expect((await visitor.messages()).messages.map((m) => m.text)).toEqual(['It arrived broken']);
  });

  it("shows the agent's replies (not notes) with signed links that open and download", async () => {
    const visitor = visitorClient(s.h, s.channel.id);
    await visitor.start({ name: 'Carla' });
    await visitor.send('Can you send a photo of the replacement?');
    const ticket = await ticketOf('Carla');
    const image = await png(640, 400);
    await agentReply(s.agent, ticket.id, 'Internal: check stock first', [], true);
    const reply = await agentReply(s.agent, ticket.id, 'Here it is!', [
      { name: 'replacement.png', bytes: image, type: 'image/png' },
    ]);
    await s.h.deps.queue.idle();

    const page = await visitor.messages();
    expect(page.messages.map((message) => message.text)).toEqual([
      'Can you send a photo of the replacement?',
      'Here it is!',
    ]);
    const shown = page.messages[1] as VisitorMessage;
    expect(shown).toMatchObject({
      id: reply.id,
      from: 'agent',
      status: 'delivered',
      authorName: 'Acme Admin',
    });
    const attachment = shown.attachments[0]!;
    // The visitor gets the copy prepared for customers (metadata stripped), never the original.
    expect(attachment.url).toMatch(new RegExp(`^${s.h.url}/media/${attachment.id}/prepared-clean/\\d+/`));
    expect(attachment.linksExpireAt).toBeGreaterThan(Date.now() / 1000);

    const original = await fetch(attachment.url!);
    expect(original.status).toBe(200);
    const received = Buffer.from(await original.arrayBuffer());
    const pixels = (bytes: Buffer) => sharp(bytes).raw().toBuffer();
    expect((await pixels(received)).equals(await pixels(image))).toBe(true);
    expect(original.headers.get('content-disposition')).toMatch(/^inline/);
    const download = await fetch(attachment.downloadUrl!);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="replacement.png"/);
    const thumbnail = await fetch(attachment.thumbnailUrl!);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');

    // The agent's reply is delivered; reading it marks it read for the agents.
    const read = await visitor.request('POST', 'read', { messageId: reply.id });
    expect(read.body).toEqual({ marked: 1 });
    const thread = await agentThread(s.agent, ticket.id);
    expect(thread.find((message: Message) => message.id === reply.id)?.status).toBe('read');
  });

  it('enforces the webchat limits on the server', async () => {
    const visitor = visitorClient(s.h, s.channel.id);
    await visitor.start();
    const avi = Buffer.concat([
      Buffer.from('RIFF'),
      Buffer.from([0x10, 0, 0, 0]),
      Buffer.from('AVI LIST'),
      Buffer.alloc(4096, 0),
    ]);
    const refused = await visitor.upload([{ name: 'clip.avi', bytes: avi, type: 'video/x-msvideo' }]);
    expect(refused.status).toBe(415);
    expect(refused.body).toMatchObject({ error: { code: 'unsupported_media' } });
    const tooMany = await visitor.upload(
      Array.from({ length: 11 }, (_, index) => ({
        name: `n${index}.txt`,
        bytes: Buffer.from(`note ${index}`),
        type: 'text/plain',
      })),
    );
    expect(tooMany.status).toBe(400);
    const count = await s.h.deps.db
      .selectFrom('attachments')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('uploadedBy', '=', `visitor:${visitor.visitorId}`)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});

describe('the visitor socket', () => {
  it('streams the agent reply live once delivered, never notes, and resumes after a reconnect', async () => {
    const visitor = visitorClient(s.h, s.channel.id);
    await visitor.start({ name: 'Dora' });
    await visitor.send('Is anyone there?');
    const ticket = await ticketOf('Dora');
    const page = await visitor.messages();
    const socket = await openVisitorSocket(s.h, visitor, { since: page.lastEventId });
    await socket.waitFor((frame) => frame.type === 'hello');

    await agentReply(s.agent, ticket.id, 'Note to self', [], true);
    const reply = await agentReply(s.agent, ticket.id, 'Yes! Photo attached', [
      { name: 'label.jpg', bytes: await jpeg(320, 240), type: 'image/jpeg' },
    ]);
    const live = await socket.waitFor(
      (frame) => 'data' in frame && 'message' in frame.data && frame.data.message.id === reply.id,
    );
    expect(live.type).toMatch(/^message\./);
    if (!('data' in live) || !('message' in live.data)) throw new Error('not a message frame');
    expect(live.data.message).toMatchObject({ from: 'agent', text: 'Yes! Photo attached' });
    expect(live.data.message.attachments[0]).toMatchObject({ name: 'label.jpg' });
    // The thumbnail arrives with the reply when it was made before the reply was sent, or in
    // an attachment.ready frame when it comes after; either way the link is signed.
    const thumbnailOf = (frame: VisitorSocketFrame): string | null => {
      if (frame.type === 'attachment.ready' && frame.data.messageId === reply.id)
        return frame.data.attachment.thumbnailUrl;
      if (
        (frame.type === 'message.created' || frame.type === 'message.updated') &&
        frame.data.message.id === reply.id
      )
        return frame.data.message.attachments[0]?.thumbnailUrl ?? null;
      return null;
    };
    const ready = await socket.waitFor((frame) => thumbnailOf(frame) !== null);
    expect(thumbnailOf(ready)).toMatch(/\/media\/[\w-]+\/thumbnail\//);
    await s.h.deps.queue.idle();
    const texts = socket.frames.flatMap((frame) =>
      'data' in frame && 'message' in frame.data ? [frame.data.message.text] : [],
    );
    expect(texts).not.toContain('Note to self');
    const lastSeen = Math.max(...socket.frames.flatMap((frame) => ('id' in frame ? [frame.id] : [])));
    socket.close();

    const missed = await agentReply(s.agent, ticket.id, 'Sent while you were away');
    await s.h.deps.queue.idle();
    const resumed = await openVisitorSocket(s.h, visitor, { since: lastSeen });
    const replayed = await resumed.waitFor(
      (frame) => 'data' in frame && 'message' in frame.data && frame.data.message.id === missed.id,
    );
    expect(replayed).toBeTruthy();
    resumed.close();
  });

  it('follows conversations that start after the socket opened, including a new ticket after a closed one', async () => {
    const visitor = visitorClient(s.h, s.channel.id);
    await visitor.start({ name: 'Elena' });
    const page = await visitor.messages();
    const socket = await openVisitorSocket(s.h, visitor, { since: page.lastEventId });
    await socket.waitFor((frame) => frame.type === 'hello');
    const first = await visitor.send('First question');
    await socket.waitFor(
      (frame) => frame.type === 'message.created' && frame.data.message.id === first.body.id,
    );
    const ticket = await ticketOf('Elena');
    const closed = await s.agent.request('PATCH', `/api/tickets/${ticket.id}`, { status: 'closed' });
    expect(closed.status).toBe(200);

    const second = await visitor.send('Another question, days later');
    const tickets = await s.agent.request<{ tickets: Ticket[] }>(
      'GET',
      `/api/tickets?channelId=${s.channel.id}`,
    );
    const fresh = tickets.body.tickets.filter((candidate) => candidate.contact.name === 'Elena');
    expect(fresh).toHaveLength(2);
    const newTicket = fresh.find((candidate) => candidate.id !== ticket.id)!;
    await socket.waitFor(
      (frame) => frame.type === 'message.created' && frame.data.message.id === second.body.id,
    );
    const reply = await agentReply(s.agent, newTicket.id, 'Answer on the new ticket');
    await socket.waitFor(
      (frame) =>
        frame.type === 'message.updated' &&
        frame.data.message.id === reply.id &&
        frame.data.message.status === 'delivered',
    );
    expect((await visitor.messages()).messages.map((message) => message.text)).toEqual([
      'First question',
      'Another question, days later',
      'Answer on the new ticket',
    ]);
    socket.close();
  });

  it('refuses a handshake from a foreign origin and closes on a bad token', async () => {
    const visitor = visitorClient(s.h, s.channel.id);
    await visitor.start();
    await expect(openVisitorSocket(s.h, visitor, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const socket = await openVisitorSocket(s.h, visitor, {
      token: 'sbv_forged-token-0000000000000000000000000',
    });
    expect((await socket.closed).code).toBe(4401);
  });
});

describe('rate limits', () => {
  it('stops a visitor who sends too fast', async () => {
    const limited = await createWebchatHarness({ routes: { rateLimits: { messagesPerVisitor: 3 } } });
    try {
      const visitor = visitorClient(limited.h, limited.channel.id);
      await visitor.start();
      for (let i = 0; i < 3; i++) expect((await visitor.send(`message ${i}`)).status).toBe(201);
      const refused = await visitor.send('one too many');
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ error: { code: 'rate_limited' } });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another visitor from the same address is counted on their own.
      const other = visitorClient(limited.h, limited.channel.id);
      await other.start();
      expect((await other.send('hello')).status).toBe(201);
    } finally {
      await limited.h.close();
    }
  });

  it('stops an address that creates too many visitors', async () => {
    const limited = await createWebchatHarness({ routes: { rateLimits: { visitorsPerIp: 2 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          (await visitorClient(limited.h, limited.channel.id).request('POST', 'visitors', {})).status,
        );
      }
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await limited.h.close();
    }
  });
});
