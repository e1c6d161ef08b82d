import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Attachment, Channel, Message, Ticket } from '../../src/shared/api-schemas.js';
import { ProviderError } from '../../src/server/channels/adapter.js';
import { signIn, type Client } from '../support/client.js';
import { buildChannel, deliver } from '../support/channel.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { jpeg } from '../support/images.js';
import { createTestAdapter, type TestAdapterControl } from '../support/test-adapter.js';

let h: Harness;
let agent: Client;
let channel: Channel;
let control: TestAdapterControl;
let ticket: Ticket;
let counter = 0;

beforeAll(async () => {
  const test = createTestAdapter('sms');
  control = test.control;
  h = await createHarness({ adapters: [test.adapter] });
  const account = await buildAccount(h);
  agent = await signIn(h, account.admin.email, account.admin.password);
  channel = await buildChannel(agent);
});
afterAll(() => h.close());

beforeEach(async () => {
  counter += 1;
  const from = `+1555100${counter}`;
  await deliver(h, channel, [{ id: `in-${counter}`, from, text: 'Hello, I need help' }]);
  ticket = (await agent.request<{ tickets: Ticket[] }>('GET', `/api/tickets?q=${encodeURIComponent(from)}`))
    .body.tickets[0]!;
});

async function upload(...names: string[]): Promise<Attachment[]> {
  const files = await Promise.all(names.map(async (name, i) => ({ name, bytes: await jpeg(200 + i, 100) })));
  return (await agent.upload<{ attachments: Attachment[] }>(files)).body.attachments;
}

async function message(id: string): Promise<Message> {
  const list = await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`);
  return list.body.messages.find((m) => m.id === id)!;
}

describe('replies', () => {
  it('sends text and attachments in order and records each provider message', async () => {
    const files = await upload('one.jpg', 'two.jpg', 'three.jpg');
    const response = await agent.request<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'Here are the return labels',
      attachmentIds: files.map((f) => f.id),
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      status: 'queued',
      direction: 'outbound',
      note: false,
      author: { kind: 'agent' },
    });
    expect(response.body.attachments.map((a) => a.name)).toEqual(['one.jpg', 'two.jpg', 'three.jpg']);
    await h.deps.queue.idle();
    const sent = control.sent.at(-1)!;
    expect(sent.message.attachments.map((a) => a.name)).toEqual(['one.jpg', 'two.jpg', 'three.jpg']);
    expect(sent.message.recipient.externalId).toBe(`+1555100${counter}`);
    expect((await message(response.body.id)).status).toBe('sent');
    const deliveries = await h.deps.db
      .selectFrom('deliveries')
      .selectAll()
      .where('messageId', '=', response.body.id)
      .orderBy('part')
      .execute();
    expect(deliveries.map((d) => d.providerMessageId)).toEqual(sent.providerIds);
  });

  it('needs text or an attachment', async () => {
    const response = await agent.request('POST', `/api/tickets/${ticket.id}/messages`, { text: '   ' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'validation_failed', details: { field: 'text' } } });
  });

  it('refuses an attachment that was already sent, and sends nothing', async () => {
    const [file] = await upload('once.jpg');
    expect(
      (await agent.request('POST', `/api/tickets/${ticket.id}/messages`, { attachmentIds: [file!.id] }))
        .status,
    ).toBe(201);
    const second = await agent.request('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'again',
      attachmentIds: [file!.id],
    });
    expect(second.status).toBe(409);
    const texts = (
      await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`)
    ).body.messages.map((m) => m.text);
    expect(texts).not.toContain('again');
  });

  it('keeps internal notes out of the channel', async () => {
    await h.deps.queue.idle();
    const before = control.sent.length;
    const response = await agent.request<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'customer is VIP',
      note: true,
    });
    expect(response.body).toMatchObject({ note: true });
    await h.deps.queue.idle();
    expect(control.sent.length).toBe(before);
  });

  it('moves statuses forward only, whatever order callbacks arrive in', async () => {
    const sent = await agent.request<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'status test',
    });
    await h.deps.queue.idle();
    const providerId = control.sent.at(-1)!.providerIds[0]!;
    await deliver(h, channel, [{ type: 'status', id: providerId, status: 'delivered' }]);
    expect((await message(sent.body.id)).status).toBe('delivered');
    await deliver(h, channel, [{ type: 'status', id: providerId, status: 'sent' }]);
    expect((await message(sent.body.id)).status).toBe('delivered');
    await deliver(h, channel, [{ type: 'status', id: providerId, status: 'read' }]);
    await deliver(h, channel, [{ type: 'status', id: providerId, status: 'failed', errorCode: '30003' }]);
    expect((await message(sent.body.id)).status).toBe('read');
  });

  it('ignores a status for a message it never sent', async () => {
    const response = await deliver(h, channel, [{ type: 'status', id: 'never-sent', status: 'delivered' }]);
    expect(response.status).toBe(200);
  });

  it('shows a provider refusal in plain words and sends again on retry', async () => {
    control.failures.push(
      new ProviderError(
        '21610',
        'The customer replied STOP: they have opted out of messages from this number.',
        false,
      ),
    );
    const sent = await agent.request<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'will fail',
    });
    await h.deps.queue.idle();
    const failed = await message(sent.body.id);
    expect(failed).toMatchObject({ status: 'failed', errorCode: '21610' });
    expect(failed.errorMessage).toContain('opted out');
    const retry = await agent.request<Message>('POST', `/api/messages/${sent.body.id}/retry`);
    expect(retry.status).toBe(200);
    await h.deps.queue.idle();
    expect(await message(sent.body.id)).toMatchObject({ status: 'sent', errorCode: null });
  });

  it('does not send a part twice when a send is retried after a partial failure', async () => {
    const files = await upload('p1.jpg', 'p2.jpg');
    const sent = await agent.request<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
      attachmentIds: files.map((f) => f.id),
    });
    await h.deps.queue.idle();
    const ids = control.sent.at(-1)!.providerIds;
    await h.deps.db
      .updateTable('messages')
      .set({ status: 'failed' })
      .where('id', '=', sent.body.id)
      .execute();
    await h.deps.db
      .updateTable('deliveries')
      .set({ status: 'failed' })
      .where('providerMessageId', '=', ids[1]!)
      .execute();
    await agent.request('POST', `/api/messages/${sent.body.id}/retry`);
    await h.deps.queue.idle();
    const parts = await h.deps.db
      .selectFrom('deliveries')
      .selectAll()
      .where('messageId', '=', sent.body.id)
      .orderBy('part')
      .execute();
    expect(parts.map((p) => p.providerMessageId)[0]).toBe(ids[0]);
    expect(parts).toHaveLength(2);
    expect(parts[1]!.providerMessageId).not.toBe(ids[1]);
  });
});

describe('thread pages', () => {
  it('pages newest first without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++) {
      await agent.request('POST', `/api/tickets/${ticket.id}/messages`, { text: `note ${i}`, note: true });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=3&before=${encodeURIComponent(cursor)}` : '?limit=3';
      const page: { body: { messages: Message[]; nextCursor: string | null } } = await agent.request(
        'GET',
        `/api/tickets/${ticket.id}/messages${query}`,
      );
      seen.push(...page.body.messages.map((m) => m.text));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([
      'note 6',
      'note 5',
      'note 4',
      'note 3',
      'note 2',
      'note 1',
      'note 0',
      'Hello, I need help',
    ]);
  });

  it('refuses a cursor it did not issue', async () => {
    const response = await agent.request('GET', `/api/tickets/${ticket.id}/messages?before=garbage`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: { code: 'validation_failed', details: { field: 'cursor' } },
    });
  });
});
