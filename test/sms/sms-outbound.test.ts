// Replies over SMS/MMS through the Twilio fake: the request Twilio receives, parts, links,
// status callbacks and Twilio's refusals in plain words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel, Message, Ticket } from '../../src/shared/api-schemas.js';
import type { TwilioSentMessage } from '../fakes/twilio.js';
import { samplePdf } from '../fakes/samples.js';
import { jpeg } from '../support/images.js';
import {
  newAccountSid,
  newCustomer,
  smsWorld,
  threadOf,
  ticketOf,
  waitFor,
  webhookUrl,
  type SmsWorld,
} from './sms-setup.js';

let world: SmsWorld;

beforeAll(async () => {
  world = await smsWorld();
});
afterAll(() => world.close());

async function conversation(from = newCustomer()): Promise<{ phone: string; ticket: Ticket }> {
  await world.fake.sendInbound({
    webhookUrl: webhookUrl(world),
    from,
    to: world.number,
    body: 'Hi, I need help',
  });
  const ticket = await ticketOf(world, from);
  if (!ticket) throw new Error('no ticket');
  return { phone: from, ticket };
}

async function upload(files: Array<{ name: string; bytes: Buffer; type?: string }>): Promise<Attachment[]> {
  const response = await world.agent.upload<{ attachments: Attachment[] }>(files);
  if (response.status !== 201) throw new Error(`upload: ${JSON.stringify(response.body)}`);
  return response.body.attachments;
}

async function reply(ticket: Ticket, text: string, attachments: Attachment[] = []): Promise<Message> {
  const response = await world.agent.request<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
    text,
    attachmentIds: attachments.map((a) => a.id),
  });
  if (response.status !== 201) throw new Error(`reply: ${JSON.stringify(response.body)}`);
  return response.body;
}

async function current(ticket: Ticket, id: string): Promise<Message> {
  const found = (await threadOf(world, ticket.id)).find((m) => m.id === id);
  if (!found) throw new Error('message not found');
  return found;
}

/** The Twilio messages the fake received for a recipient since `from`, once all have settled. */
async function twilioMessages(to: string, count: number): Promise<TwilioSentMessage[]> {
  const list = await waitFor(async () => {
    const mine = world.fake.sentMessages.filter((m) => m.to === to);
    return mine.length >= count ? mine : undefined;
  }, `${count} messages to ${to}`);
  return Promise.all(list.map((m) => world.fake.waitForSettled(m.sid)));
}

async function statusOf(ticket: Ticket, id: string, wanted: string): Promise<Message> {
  return waitFor(async () => {
    const message = await current(ticket, id);
    return message.status === wanted ? message : undefined;
  }, `status ${wanted}`);
}

const field = (message: TwilioSentMessage, name: string): string[] =>
  message.params.filter(([key]) => key === name).map(([, value]) => value);

describe('replies by SMS', () => {
  it('sends the text from the channel number with a status callback, and follows it to delivered', async () => {
    const { phone, ticket } = await conversation();
    const sent = await reply(ticket, 'Sorry to hear that! A replacement is on its way.');
    const [twilio] = await twilioMessages(phone, 1);
    expect(field(twilio!, 'To')).toEqual([phone]);
    expect(field(twilio!, 'From')).toEqual([world.number]);
    expect(field(twilio!, 'Body')).toEqual(['Sorry to hear that! A replacement is on its way.']);
    expect(field(twilio!, 'StatusCallback')).toEqual([`${webhookUrl(world)}/status`]);
    expect(twilio!.statusCallbacks.map((c) => [c.status, c.responseStatus])).toEqual([
      ['sent', 200],
      ['delivered', 200],
    ]);
    await statusOf(ticket, sent.id, 'delivered');
    const deliveries = await world.h.deps.db
      .selectFrom('deliveries')
      .select(['providerMessageId', 'status'])
      .where('messageId', '=', sent.id)
      .execute();
    expect(deliveries).toEqual([{ providerMessageId: twilio!.sid, status: 'delivered' }]);
  });

  it('cuts a long text into ordered messages of at most 1,600 characters', async () => {
    const { phone, ticket } = await conversation();
    const paragraph = 'Here is how to reset the router step by step. '.repeat(30).trim();
    const text = [paragraph, paragraph, paragraph].join('\n\n');
    const sent = await reply(ticket, text);
    const parts = await twilioMessages(phone, 3);
    const bodies = parts.map((m) => field(m, 'Body')[0] ?? '');
    expect(bodies.every((body) => [...body].length <= 1600)).toBe(true);
    expect(bodies.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
    await statusOf(ticket, sent.id, 'delivered');
    const rows = await world.h.deps.db
      .selectFrom('deliveries')
      .select(['part', 'providerMessageId'])
      .where('messageId', '=', sent.id)
      .orderBy('part')
      .execute();
    expect(rows.map((r) => r.providerMessageId)).toEqual(parts.map((m) => m.sid));
  });

  it('marks an undelivered message failed, with Twilio’s code and plain words', async () => {
    const { phone, ticket } = await conversation();
    world.fake.controls.setRecipientOutcome(phone, { status: 'undelivered', errorCode: 30007 });
    const sent = await reply(ticket, 'Click here for a FREE gift');
    await twilioMessages(phone, 1);
    const failed = await statusOf(ticket, sent.id, 'failed');
    expect(failed.errorCode).toBe('twilio-30007');
    expect(failed.errorMessage).toMatch(/carrier filtered the message/);
  });

  it('never moves back from a terminal status, whatever order callbacks arrive in', async () => {
    const { phone, ticket } = await conversation();
    world.fake.controls.setStatusOrder('reversed');
    try {
      const sent = await reply(ticket, 'Order shipped');
      const [twilio] = await twilioMessages(phone, 1);
      expect(twilio!.statusCallbacks.map((c) => c.status)).toEqual(['delivered', 'sent']);
      await statusOf(ticket, sent.id, 'delivered');
      const late = await world.fake.sendStatus({
        url: `${webhookUrl(world)}/status`,
        messageSid: twilio!.sid,
        status: 'failed',
        errorCode: 30003,
      });
      expect(late.status).toBe(200);
      expect((await current(ticket, sent.id)).status).toBe('delivered');
    } finally {
      world.fake.controls.setStatusOrder('in-order');
    }
  });

  it('answers a status callback for an unknown message, or a forged one, without changing anything', async () => {
    const unknown = await world.fake.sendStatus({
      url: `${webhookUrl(world)}/status`,
      messageSid: `SM${'0'.repeat(32)}`,
      status: 'delivered',
    });
    expect(unknown.status).toBe(200);
    const { phone, ticket } = await conversation();
    const sent = await reply(ticket, 'Thanks!');
    const [twilio] = await twilioMessages(phone, 1);
    await statusOf(ticket, sent.id, 'delivered');
    const forged = await world.fake.sendStatus({
      url: `${webhookUrl(world)}/status`,
      messageSid: twilio!.sid,
      status: 'failed',
      errorCode: 30003,
      signing: { authToken: 'wrong-token-123' },
    });
    expect(forged.status).toBe(403);
    const missing = await world.fake.sendStatus({
      url: `${webhookUrl(world)}/status`,
      messageSid: '',
      status: 'failed',
    });
    expect(missing.status).toBe(400);
    expect((await current(ticket, sent.id)).status).toBe('delivered');
  });

  it('sends from a Messaging Service when the channel has one', async () => {
    const accountSid = world.fake.accountSid;
    const service = `MG${'ab'.repeat(16)}`;
    const created = await world.agent.request<Channel>('POST', '/api/channels', {
      kind: 'sms',
      name: 'Service line',
      config: {
        accountSid,
        authToken: world.fake.authToken,
        messagingServiceSid: service,
        apiBaseUrl: world.fake.baseUrl,
      },
    });
    expect(created.status).toBe(201);
    const from = newCustomer();
    await world.fake.sendInbound({
      webhookUrl: `${world.h.url}/webhooks/sms/${created.body.id}`,
      from,
      to: '+12025550111',
      body: 'hello service',
      messagingServiceSid: service,
    });
    const ticket = (await ticketOf(world, from))!;
    await reply(ticket, 'Hello from the service');
    const [twilio] = await twilioMessages(from, 1);
    expect(field(twilio!, 'MessagingServiceSid')).toEqual([service]);
    expect(field(twilio!, 'From')).toEqual([]);
  });

  it('shows credentials Twilio refuses on the message and on the channel settings', async () => {
    const token = 'a-token-twilio-does-not-know';
    const created = await world.agent.request<Channel>('POST', '/api/channels', {
      kind: 'sms',
      name: 'Stale token',
      config: {
        accountSid: world.fake.accountSid,
        authToken: token,
        from: '+12025550122',
        apiBaseUrl: world.fake.baseUrl,
      },
    });
    const from = newCustomer();
    const inbound = await world.fake.sendInbound({
      webhookUrl: `${world.h.url}/webhooks/sms/${created.body.id}`,
      from,
      to: '+12025550122',
      body: 'hello?',
      signing: { authToken: token },
    });
    expect(inbound.response.status).toBe(200);
    const ticket = (await ticketOf(world, from))!;
    const sent = await reply(ticket, 'Hello!');
    const failed = await statusOf(ticket, sent.id, 'failed');
    expect(failed).toMatchObject({
      errorCode: 'twilio-20003',
      errorMessage: expect.stringMatching(/refused the channel/),
    });
    const channels = await world.agent.request<{ channels: Channel[] }>('GET', '/api/channels');
    expect(channels.body.channels.find((c) => c.id === created.body.id)).toMatchObject({
      health: 'needs_attention',
      healthReason: expect.stringMatching(/Account SID and Auth Token/),
    });
  });

  it('refuses a configuration without a sender, or with a malformed account', async () => {
    const bad = [
      { accountSid: newAccountSid(), authToken: 'x'.repeat(32) },
      { accountSid: 'AC123', authToken: 'x'.repeat(32), from: '+12025550100' },
    ];
    for (const config of bad) {
      const response = await world.agent.request('POST', '/api/channels', {
        kind: 'sms',
        name: 'Bad',
        config,
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });
});

describe('replies by MMS', () => {
  it('hands Twilio signed links that answer HEAD and GET with the exact type and a short file name', async () => {
    const { phone, ticket } = await conversation();
    const bytes = await jpeg(320, 240);
    const [file] = await upload([{ name: `${'very long holiday photo name '.repeat(6)}.jpg`, bytes }]);
    const sent = await reply(ticket, 'Your label', [file!]);
    const [twilio] = await twilioMessages(phone, 1);
    expect(twilio!.mediaUrls).toHaveLength(1);
    const url = twilio!.mediaUrls[0]!;
    expect(url.startsWith(`${world.h.url}/media/`)).toBe(true);
    expect(twilio!.media[0]).toMatchObject({
      head: { status: 200, contentType: 'image/jpeg' },
      get: { status: 200, contentType: 'image/jpeg' },
      sniffedType: 'image/jpeg',
    });
    const head = await fetch(url, { method: 'HEAD' });
    const disposition = head.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^inline; filename="[^"]{1,64}"/);
    expect(head.headers.get('content-type')).toBe('image/jpeg');
    await statusOf(ticket, sent.id, 'delivered');
  });

  it('splits more than ten media into several messages, in order', async () => {
    const { phone, ticket } = await conversation();
    const files = await upload(
      await Promise.all(
        Array.from({ length: 12 }, async (_, i) => ({ name: `p${i}.jpg`, bytes: await jpeg(60 + i, 40) })),
      ),
    );
    const sent = await reply(ticket, 'All the photos', files);
    const parts = await twilioMessages(phone, 2);
    expect(parts.map((m) => m.mediaUrls.length)).toEqual([10, 2]);
    expect(field(parts[0]!, 'Body')).toEqual(['All the photos']);
    expect(parts.flatMap((m) => m.media).every((item) => item.sniffedType === 'image/jpeg')).toBe(true);
    const order = parts.flatMap((m) => m.mediaUrls.map((u) => decodeURIComponent(u.split('/').pop()!)));
    expect(order).toEqual(files.map((f) => f.name));
    await statusOf(ticket, sent.id, 'delivered');
  });

  it('sends media for a number outside the US and Canada as secure links in the text', async () => {
    const { phone, ticket } = await conversation('+447700900123');
    const [file] = await upload([{ name: 'receipt.jpg', bytes: await jpeg(100, 80) }]);
    const sent = await reply(ticket, 'Here is your receipt', [file!]);
    const [twilio] = await twilioMessages(phone, 1);
    expect(twilio!.mediaUrls).toEqual([]);
    const body = field(twilio!, 'Body')[0] ?? '';
    expect(body).toMatch(
      /^Here is your receipt\n\nreceipt\.jpg \(\d+ KB\): http:\/\/127\.0\.0\.1:\d+\/media\//,
    );
    const link = body.split(': ').pop()!;
    const fetched = await fetch(link);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).length).toBe(file!.size);
    await statusOf(ticket, sent.id, 'delivered');
  });

  it('sends a document over the MMS budget as a link, and a small one as media', async () => {
    const { phone, ticket } = await conversation();
    const small = samplePdf();
    const big = Buffer.concat([samplePdf(), Buffer.alloc(700 * 1024, 0x20)]);
    const files = await upload([
      { name: 'small.pdf', bytes: small, type: 'application/pdf' },
      { name: 'manual.pdf', bytes: big, type: 'application/pdf' },
    ]);
    await reply(ticket, 'Documents', files);
    const [twilio] = await twilioMessages(phone, 1);
    expect(twilio!.mediaUrls).toHaveLength(1);
    expect(twilio!.media[0]?.get.contentType).toBe('application/pdf');
    expect(field(twilio!, 'Body')[0]).toMatch(/^Documents\n\nmanual\.pdf \(700 KB\): http/);
  });
});
