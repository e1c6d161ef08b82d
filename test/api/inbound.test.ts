import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Message, Ticket } from '../../src/shared/api-schemas.js';
import { signIn, type Client } from '../support/client.js';
import { buildChannel, deliver, startMediaHost, type MediaHost } from '../support/channel.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { jpeg } from '../support/images.js';
import { createTestAdapter } from '../support/test-adapter.js';

let h: Harness;
let agent: Client;
let channel: Channel;
let media: MediaHost;

beforeAll(async () => {
  h = await createHarness({
    adapters: [createTestAdapter('sms').adapter],
    env: { MAX_INBOUND_MEDIA_MB: '1' },
  });
  const account = await buildAccount(h);
  agent = await signIn(h, account.admin.email, account.admin.password);
  channel = await buildChannel(agent);
  media = await startMediaHost();
});
afterAll(async () => {
  await media.close();
  await h.close();
});

async function thread(ticketId: string): Promise<Message[]> {
  return (await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticketId}/messages`)).body
    .messages;
}

async function ticketOf(from: string): Promise<Ticket> {
  const list = await agent.request<{ tickets: Ticket[] }>(
    'GET',
    `/api/tickets?q=${encodeURIComponent(from)}`,
  );
  const ticket = list.body.tickets[0];
  if (!ticket) throw new Error(`no ticket for ${from}`);
  return ticket;
}

describe('inbound webhooks', () => {
  it('shows the webhook URL of the channel', () => {
    expect(channel.webhookUrl).toBe(`${h.url}/webhooks/sms/${channel.id}`);
    expect(channel.config).toEqual({});
  });

  it('refuses a bad signature with 403 and stores nothing', async () => {
    const before = await h.deps.db.selectFrom('messages').select('id').execute();
    const response = await deliver(
      h,
      channel,
      [{ id: 'm-forged', from: '+15550001', text: 'hi' }],
      'wrong-secret',
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'signature_invalid' } });
    expect(await h.deps.db.selectFrom('messages').select('id').execute()).toHaveLength(before.length);
  });

  it('answers 404 for a channel id that does not exist or a kind that does not match', async () => {
    expect((await deliver(h, { id: 'nope', kind: 'sms' }, [])).status).toBe(404);
    expect((await deliver(h, { id: channel.id, kind: 'whatsapp' }, [])).status).toBe(404);
  });

  it('creates contact, ticket and message, and downloads every media item in jobs', async () => {
    const photo = await jpeg(640, 480);
    media.files.set('/a.jpg', { bytes: photo, type: 'image/jpeg' });
    media.files.set('/b.txt', { bytes: Buffer.from('tracking 1Z999'), type: 'text/plain' });
    const response = await deliver(h, channel, [
      {
        id: 'm-1',
        from: '+15550002',
        name: 'Ana Souza',
        text: 'My order arrived broken',
        media: [
          { url: `${media.url}/a.jpg`, type: 'image/jpeg' },
          { url: `${media.url}/b.txt`, type: 'text/plain', name: 'label.txt' },
        ],
      },
    ]);
    expect(response.status).toBe(200);
    const ticket = await ticketOf('Ana');
    expect(ticket).toMatchObject({
      status: 'open',
      subject: 'My order arrived broken',
      contact: { name: 'Ana Souza' },
      channel: { id: channel.id, kind: 'sms' },
      previewAttachment: { name: 'media-1', count: 2 },
    });
    const [message] = await thread(ticket.id);
    expect(message!.attachments.map((a) => a.state)).toEqual(['processing', 'processing']);
    await h.deps.queue.idle();
    const [ready] = await thread(ticket.id);
    expect(ready!.attachments).toMatchObject([
      {
        state: 'ready',
        contentType: 'image/jpeg',
        size: photo.length,
        width: 640,
        height: 480,
        kind: 'image',
      },
      { state: 'ready', contentType: 'text/plain', name: 'label.txt', kind: 'file' },
    ]);
    expect(ready!.attachments[0]!.thumbnailUrl).toBe(
      `/api/attachments/${ready!.attachments[0]!.id}/thumbnail`,
    );
    const content = await agent.request('GET', ready!.attachments[0]!.url!);
    expect(content.raw.equals(photo)).toBe(true);
  });

  it('makes one message of three concurrent deliveries of the same webhook', async () => {
    const events = [{ id: 'm-dup', from: '+15550003', text: 'same event thrice' }];
    const responses = await Promise.all([
      deliver(h, channel, events),
      deliver(h, channel, events),
      deliver(h, channel, events),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const rows = await h.deps.db
      .selectFrom('messages')
      .select('id')
      .where('providerMessageId', '=', 'm-dup')
      .execute();
    expect(rows).toHaveLength(1);
    const tickets = await h.deps.db
      .selectFrom('tickets')
      .innerJoin('contacts', 'contacts.id', 'tickets.contactId')
      .select('tickets.id')
      .where('contacts.name', '=', '+15550003')
      .execute();
    expect(tickets).toHaveLength(1);
  });

  it('adds to the open ticket of a contact, and reopens a solved one', async () => {
    await deliver(h, channel, [{ id: 'm-c1', from: '+15550004', text: 'first' }]);
    const ticket = await ticketOf('+15550004');
    expect((await agent.request('PATCH', `/api/tickets/${ticket.id}`, { status: 'solved' })).status).toBe(
      200,
    );
    await deliver(h, channel, [{ id: 'm-c2', from: '+15550004', text: 'second' }]);
    const again = await ticketOf('+15550004');
    expect(again.id).toBe(ticket.id);
    expect(again.status).toBe('open');
    expect((await thread(ticket.id)).map((m) => m.text)).toEqual(['second', 'first']);
  });

  it('keeps media over the size cap visible as too large', async () => {
    media.files.set('/huge.bin', { bytes: Buffer.alloc(1_500_000, 1), type: 'video/mp4' });
    await deliver(h, channel, [
      { id: 'm-big', from: '+15550005', media: [{ url: `${media.url}/huge.bin`, type: 'video/mp4' }] },
    ]);
    await h.deps.queue.idle();
    const [message] = await thread((await ticketOf('+15550005')).id);
    expect(message!.attachments[0]).toMatchObject({ state: 'too_large', url: null });
    expect(message!.attachments[0]!.stateReason).toContain('limit');
  });

  it('marks media the provider no longer has as unavailable, and fetches it again on request', async () => {
    await deliver(h, channel, [
      { id: 'm-gone', from: '+15550006', media: [{ url: `${media.url}/later.jpg`, type: 'image/jpeg' }] },
    ]);
    await h.deps.queue.idle();
    const ticket = await ticketOf('+15550006');
    const [message] = await thread(ticket.id);
    expect(message!.attachments[0]).toMatchObject({ state: 'unavailable' });
    media.files.set('/later.jpg', { bytes: await jpeg(100, 100), type: 'image/jpeg' });
    const retry = await agent.request('POST', `/api/attachments/${message!.attachments[0]!.id}/retry`);
    expect(retry.status).toBe(202);
    await h.deps.queue.idle();
    const [after] = await thread(ticket.id);
    expect(after!.attachments[0]).toMatchObject({ state: 'ready', width: 100 });
  });
});
