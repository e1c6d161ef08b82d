// The channel's automatic reply to a new request: sent once when a customer's mail opens a
// ticket, marked as automatic, never to automated mail, at most once a day per address, and
// only while the channel has a text for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Message, Ticket } from '../../src/shared/api-schemas.js';
import { ACKNOWLEDGEMENT_INTERVAL_MS } from '../../src/server/channels/email/acknowledge.js';
import * as corpus from './support/corpus.js';
import { createEmailChannel, emailWorld, postMime, type EmailWorld } from './support/email-harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';

const TEXT = 'Hello {name}, we got your message. Your ticket number is {number}.';

let world: EmailWorld;
let sink: SmtpSink;
let channel: Channel;
let clockShift = 0;

beforeAll(async () => {
  world = await emailWorld();
  const now = world.h.deps.now;
  world.h.deps.now = () => now() + clockShift;
  sink = await startSmtpSink();
  channel = await createEmailChannel(world, {
    smtp: { host: '127.0.0.1', port: sink.port, secure: false },
    acknowledgement: TEXT,
  });
});
afterAll(async () => {
  await sink.close();
  await world.close();
});

let sequence = 0;
async function mail(from: string, extra: corpus.Envelope = {}): Promise<string> {
  sequence += 1;
  const response = await postMime(
    world,
    channel.id,
    corpus.plain({ from, subject: `Request ${sequence}`, ...extra }, `Question number ${sequence}`),
  );
  expect(response.status).toBe(200);
  await world.h.deps.queue.idle();
  return response.body.ticketId as string;
}

async function thread(ticketId: string): Promise<Message[]> {
  const response = await world.agent.request<{ messages: Message[] }>(
    'GET',
    `/api/tickets/${ticketId}/messages`,
  );
  return response.body.messages.slice().reverse();
}

const sentTo = (address: string) => sink.messages.filter((message) => message.to.includes(address));

describe('automatic reply to a new request', () => {
  it('answers the first mail of a ticket once, as an automatic reply that leaves the inbox line alone', async () => {
    const ticketId = await mail('Ana Souza <ana@customer.test>');
    const [received] = sentTo('ana@customer.test');
    const ticket = (await world.agent.request<Ticket>('GET', `/api/tickets/${ticketId}`)).body;
    expect(received!.parsed.text?.trim()).toBe(
      `Hello Ana Souza, we got your message. Your ticket number is ${ticket.number}.`,
    );
    expect(received!.parsed.subject).toBe(`Re: Request ${sequence} [#${ticket.number}]`);
    expect(received!.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(received!.parsed.headers.get('x-auto-response-suppress')).toBe('All');

    const messages = await thread(ticketId);
    expect(messages.map((m) => [m.direction, m.author, m.status, m.meta.acknowledgement ?? false])).toEqual([
      ['inbound', expect.objectContaining({ kind: 'contact' }), 'received', false],
      ['outbound', null, 'sent', true],
    ]);
    expect(ticket).toMatchObject({ status: 'open', preview: `Question number ${sequence}` });

    // The customer writes again in the same ticket: no second acknowledgement.
    const again = await postMime(
      world,
      channel.id,
      corpus.plain(
        {
          from: 'Ana Souza <ana@customer.test>',
          subject: `Re: Request 1 [#${ticket.number}]`,
          inReplyTo: received!.parsed.messageId!,
        },
        'One more detail',
      ),
    );
    expect(again.body.ticketId).toBe(ticketId);
    await world.h.deps.queue.idle();
    expect(sentTo('ana@customer.test')).toHaveLength(1);
  });

  it('never answers automated mail: an out-of-office reply, a list, a bounce', async () => {
    await mail('Bruno <bruno@customer.test>', { extraHeaders: ['Auto-Submitted: auto-replied'] });
    await mail('Carla <carla@customer.test>', { extraHeaders: ['Precedence: bulk'] });
    await mail('MAILER-DAEMON@mx.customer.test');
    expect(sentTo('bruno@customer.test')).toEqual([]);
    expect(sentTo('carla@customer.test')).toEqual([]);
    expect(sentTo('mailer-daemon@mx.customer.test')).toEqual([]);
  });

  it('answers one address at most once a day, however many tickets it opens', async () => {
    const first = await mail('Dora <dora@customer.test>');
    await world.agent.request('PATCH', `/api/tickets/${first}`, { status: 'closed' });
    const second = await mail('Dora <dora@customer.test>');
    expect(second).not.toBe(first);
    expect(sentTo('dora@customer.test')).toHaveLength(1);

    clockShift += ACKNOWLEDGEMENT_INTERVAL_MS + 60_000;
    await world.agent.request('PATCH', `/api/tickets/${second}`, { status: 'closed' });
    const third = await mail('Dora <dora@customer.test>');
    expect(third).not.toBe(second);
    expect(sentTo('dora@customer.test')).toHaveLength(2);
  });

  it('sends none once an admin empties the text, and fills in the new text when it comes back', async () => {
    const off = await world.agent.request<Channel>('PATCH', `/api/channels/${channel.id}`, {
      config: { acknowledgement: null },
    });
    expect(off.status).toBe(200);
    expect(off.body.config.acknowledgement).toBeUndefined();
    await mail('Eva <eva@customer.test>');
    expect(sentTo('eva@customer.test')).toEqual([]);

    const on = await world.agent.request<Channel>('PATCH', `/api/channels/${channel.id}`, {
      config: { acknowledgement: 'Obrigado, {name}! Ticket {number}.' },
    });
    expect(on.body.config.acknowledgement).toBe('Obrigado, {name}! Ticket {number}.');
    const ticketId = await mail('Fábio <fabio@customer.test>');
    const ticket = (await world.agent.request<Ticket>('GET', `/api/tickets/${ticketId}`)).body;
    expect(sentTo('fabio@customer.test').map((m) => m.parsed.text?.trim())).toEqual([
      `Obrigado, Fábio! Ticket ${ticket.number}.`,
    ]);
  });

  it('refuses an empty or overlong text with a message naming the setting', async () => {
    for (const acknowledgement of ['   ', 'x'.repeat(2001)]) {
      const response = await world.agent.request<{ error: { code: string; message: string } }>(
        'PATCH',
        `/api/channels/${channel.id}`,
        { config: { acknowledgement } },
      );
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.message).toContain('acknowledgement');
    }
  });
});
