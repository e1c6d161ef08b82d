// Incoming SMS/MMS from the Twilio fake over loopback: signatures, TwiML, dedupe, contacts and
// tickets, and every way a media download can go wrong.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Message } from '../../src/shared/api-schemas.js';
import { buildInboundParams, postSignedForm } from '../../src/server/simulators/twilio/twilio-webhooks.js';
import { startHttpStub, type HttpStub } from '../fakes/http-stub.js';
import { samplePdf } from '../fakes/samples.js';
import { jpeg, png } from '../support/images.js';
import {
  newCustomer,
  smsWorld,
  threadOf,
  ticketOf,
  waitFor,
  webhookUrl,
  type SmsWorld,
} from './sms-setup.js';

let world: SmsWorld;
let elsewhere: HttpStub;

beforeAll(async () => {
  world = await smsWorld({ env: { MAX_INBOUND_MEDIA_MB: '1' } });
  elsewhere = await startHttpStub(() => ({
    status: 200,
    body: 'x',
    headers: { 'content-type': 'image/jpeg' },
  }));
});
afterAll(async () => {
  await elsewhere.close();
  await world.close();
});

const countMessages = async (): Promise<number> =>
  (await world.h.deps.db.selectFrom('messages').select('id').execute()).length;

async function text(
  from: string,
  body: string,
  extra: Partial<Parameters<SmsWorld['fake']['sendInbound']>[0]> = {},
) {
  return world.fake.sendInbound({ webhookUrl: webhookUrl(world), from, to: world.number, body, ...extra });
}

async function messageBySid(sid: string): Promise<Message> {
  const row = await world.h.deps.db
    .selectFrom('messages')
    .select(['id', 'ticketId'])
    .where('providerMessageId', '=', sid)
    .executeTakeFirstOrThrow();
  const thread = await threadOf(world, row.ticketId);
  const found = thread.find((message) => message.id === row.id);
  if (!found) throw new Error(`message ${sid} not in its thread`);
  return found;
}

/** Waits until no attachment of the message is still processing. */
async function settled(sid: string): Promise<Attachment[]> {
  return waitFor(async () => {
    const message = await messageBySid(sid);
    return message.attachments.every((a) => a.state !== 'processing') ? message.attachments : undefined;
  }, `the media of ${sid}`);
}

async function fetchJobErrors(attachmentId: string): Promise<string[]> {
  const rows = await world.h.deps.db
    .selectFrom('jobs')
    .select(['lastError'])
    .where('name', '=', 'media.fetch')
    .where('payload', 'like', `%${attachmentId}%`)
    .execute();
  return rows.map((row) => row.lastError ?? '');
}

async function download(attachment: Attachment): Promise<Buffer> {
  const response = await world.agent.request('GET', new URL(attachment.url ?? '', world.h.url).pathname);
  return response.raw;
}

describe('incoming SMS', () => {
  it('shows both webhook URLs in the channel settings and keeps the token secret', () => {
    expect(world.channel.webhookUrl).toBe(webhookUrl(world));
    expect(world.channel.webhookUrls.map((entry) => entry.url)).toEqual([
      webhookUrl(world),
      `${webhookUrl(world)}/status`,
    ]);
    expect(world.channel.config).not.toHaveProperty('authToken');
  });

  it('answers empty TwiML, files the text under the contact’s number, and keeps one open ticket', async () => {
    const from = newCustomer();
    const first = await text(from, 'My order #1234 arrived broken');
    expect(first.response.status).toBe(200);
    expect(first.response.headers['content-type']).toMatch(/^text\/xml/);
    expect(first.response.body).toMatch(/<Response><\/Response>$/);
    const ticket = await ticketOf(world, from);
    expect(ticket).toMatchObject({ subject: 'My order #1234 arrived broken', channel: { kind: 'sms' } });
    const contact = await world.agent.request<{ phone: string; identities: Array<{ externalId: string }> }>(
      'GET',
      `/api/contacts/${ticket!.contact.id}`,
    );
    expect(contact.body.phone).toBe(from);
    expect(contact.body.identities[0]?.externalId).toBe(from);

    await text(from, 'Also the box was wet');
    expect((await ticketOf(world, from))!.id).toBe(ticket!.id);
    expect((await threadOf(world, ticket!.id)).map((m) => m.text)).toEqual([
      'My order #1234 arrived broken',
      'Also the box was wet',
    ]);
  });

  it('refuses a wrong, missing or misplaced signature with 403, stores nothing and fetches nothing', async () => {
    const before = await countMessages();
    const mediaRequests = world.fake.requests.filter((r) => r.pathname.includes('/Media/')).length;
    const media = [{ bytes: await jpeg(64, 48), contentType: 'image/jpeg' }];
    const forged = await text(newCustomer(), 'forged', { media, signing: { authToken: 'not-the-token' } });
    const unsigned = await text(newCustomer(), 'unsigned', { media, signing: { omitSignature: true } });
    const elsewhereSigned = await text(newCustomer(), 'other url', {
      media,
      signing: { url: `${webhookUrl(world)}/other` },
    });
    for (const answer of [forged, unsigned, elsewhereSigned]) {
      expect(answer.response.status).toBe(403);
      expect(JSON.parse(answer.response.body)).toMatchObject({ error: { code: 'signature_invalid' } });
    }
    await world.h.deps.queue.idle();
    expect(await countMessages()).toBe(before);
    expect(world.fake.requests.filter((r) => r.pathname.includes('/Media/')).length).toBe(mediaRequests);
  });

  it('makes one message of three concurrent deliveries of the same webhook', async () => {
    const from = newCustomer();
    const messageSid = `SM${randomBytes(16).toString('hex')}`;
    const answers = await Promise.all(
      [1, 2, 3].map(() => text(from, 'Are you open on Sunday?', { messageSid })),
    );
    expect(answers.map((a) => a.response.status)).toEqual([200, 200, 200]);
    const rows = await world.h.deps.db
      .selectFrom('messages')
      .select('id')
      .where('providerMessageId', '=', messageSid)
      .execute();
    expect(rows).toHaveLength(1);
    const tickets = await world.h.deps.db
      .selectFrom('tickets')
      .innerJoin('contacts', 'contacts.id', 'tickets.contactId')
      .select('tickets.id')
      .where('contacts.phone', '=', from)
      .execute();
    expect(tickets).toHaveLength(1);
  });

  it('refuses a webhook without MessageSid or From with 400 and stores nothing', async () => {
    const before = await countMessages();
    const params = buildInboundParams({
      accountSid: world.fake.accountSid,
      messageSid: `SM${randomBytes(16).toString('hex')}`,
      from: newCustomer(),
      to: world.number,
      body: 'hello',
      media: [],
    });
    const noSid = params.filter(([name]) => !['MessageSid', 'SmsMessageSid', 'SmsSid'].includes(name));
    const noFrom = params.filter(([name]) => name !== 'From');
    for (const fields of [noSid, noFrom]) {
      const answer = await postSignedForm(webhookUrl(world), fields, world.fake.authToken, undefined, 5_000);
      expect(answer.status).toBe(400);
    }
    expect(await countMessages()).toBe(before);
  });
});

describe('incoming MMS media', () => {
  it('downloads every item in order, with Basic auth at the API and none at the CDN', async () => {
    const media = [
      { bytes: await jpeg(320, 240), contentType: 'image/jpeg' },
      { bytes: await png(200, 100), contentType: 'image/png' },
      { bytes: samplePdf(), contentType: 'application/pdf' },
    ];
    const sent = await text(newCustomer(), 'Photos of the damage', { media });
    const attachments = await settled(sent.messageSid);
    expect(attachments.map((a) => [a.state, a.contentType])).toEqual([
      ['ready', 'image/jpeg'],
      ['ready', 'image/png'],
      ['ready', 'application/pdf'],
    ]);
    expect(attachments.map((a) => a.name)).toEqual(['mms-photo-1.jpg', 'mms-photo-2.png', 'mms-file-3.pdf']);
    for (const [index, attachment] of attachments.entries()) {
      expect((await download(attachment)).equals(media[index]!.bytes)).toBe(true);
    }
    expect(world.fake.cdnSawAuthorization()).toBe(false);
    const apiHits = world.fake.requests.filter((r) =>
      sent.mediaUrls.includes(`${world.fake.baseUrl}${r.pathname}`),
    );
    expect(apiHits.length).toBeGreaterThanOrEqual(3);
    expect(apiHits.every((r) => r.headers.authorization?.startsWith('Basic '))).toBe(true);
  });

  it('takes all ten items of a full MMS', async () => {
    const media = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => ({
        bytes: await jpeg(40 + i, 30),
        contentType: 'image/jpeg',
      })),
    );
    const sent = await text(newCustomer(), '', { media });
    const attachments = await settled(sent.messageSid);
    expect(attachments).toHaveLength(10);
    expect(attachments.every((a) => a.state === 'ready')).toBe(true);
    expect(attachments.map((a) => a.width)).toEqual(media.map((_, i) => 40 + i));
  });

  it('keeps an item Twilio answers 404 for visible as unavailable, and a retry fetches it', async () => {
    world.fake.controls.failNextMediaRequest('not-found');
    const sent = await text(newCustomer(), 'see photo', {
      media: [{ bytes: await jpeg(90, 60), contentType: 'image/jpeg' }],
    });
    const [attachment] = await settled(sent.messageSid);
    expect(attachment).toMatchObject({
      state: 'unavailable',
      stateReason: expect.stringMatching(/no longer has this file/),
    });
    const retry = await world.agent.request('POST', `/api/attachments/${attachment!.id}/retry`);
    expect(retry.status).toBeLessThan(300);
    const [again] = await settled(sent.messageSid);
    expect(again).toMatchObject({ state: 'ready', width: 90, height: 60 });
  });

  it.each([
    ['server-error', /answered 500/],
    ['redirect-loop', /redirects in a loop/],
    ['slow-drip', /too slow|stopped sending/],
    ['overlong-body', /sent more bytes/],
  ] as const)('retries after %s, logs the reason, and ends with the whole file', async (failure, reason) => {
    world.fake.controls.failNextMediaRequest(failure);
    const bytes = await jpeg(200, 150);
    const sent = await text(newCustomer(), failure, { media: [{ bytes, contentType: 'image/jpeg' }] });
    const [attachment] = await settled(sent.messageSid);
    expect(attachment).toMatchObject({ state: 'ready', size: bytes.length });
    expect((await download(attachment!)).equals(bytes)).toBe(true);
    expect((await fetchJobErrors(attachment!.id)).join('\n')).toMatch(reason);
    const rows = await world.h.deps.db
      .selectFrom('attachments')
      .select('id')
      .where('messageId', '=', (await messageBySid(sent.messageSid)).id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('never fetches a MediaUrl on another host, and shows the item as unavailable', async () => {
    const params = buildInboundParams({
      accountSid: world.fake.accountSid,
      messageSid: `MM${randomBytes(16).toString('hex')}`,
      from: newCustomer(),
      to: world.number,
      body: 'look',
      media: [
        {
          url: elsewhere.url(`/2010-04-01/Accounts/${world.fake.accountSid}/Messages/MM0/Media/ME0`),
          contentType: 'image/jpeg',
        },
      ],
    });
    const answer = await postSignedForm(webhookUrl(world), params, world.fake.authToken, undefined, 5_000);
    expect(answer.status).toBe(200);
    const sid = params.find(([name]) => name === 'MessageSid')![1];
    const [attachment] = await settled(sid);
    expect(attachment).toMatchObject({
      state: 'unavailable',
      stateReason: expect.stringMatching(/not to Twilio/),
    });
    await world.h.deps.queue.idle();
    expect(elsewhere.received).toHaveLength(0);
  });

  it('keeps every item when NumMedia disagrees with the MediaUrl fields', async () => {
    const hosted = await text(newCustomer(), 'setup', {
      media: [
        { bytes: await jpeg(70, 50), contentType: 'image/jpeg' },
        { bytes: await jpeg(71, 50), contentType: 'image/jpeg' },
      ],
    });
    await settled(hosted.messageSid);
    const base = (sid: string) =>
      buildInboundParams({
        accountSid: world.fake.accountSid,
        messageSid: sid,
        from: newCustomer(),
        to: world.number,
        body: 'mismatch',
        media: [{ url: hosted.mediaUrls[0]!, contentType: 'image/jpeg' }],
      });
    const moreDeclared = base(`MM${randomBytes(16).toString('hex')}`).map(
      ([name, value]): [string, string] => [name, name === 'NumMedia' ? '3' : value],
    );
    const fewerDeclared = [
      ...base(`MM${randomBytes(16).toString('hex')}`).map(([name, value]): [string, string] => [
        name,
        name === 'NumMedia' ? '0' : value,
      ]),
      ['MediaContentType1', 'image/jpeg'] as [string, string],
      ['MediaUrl1', hosted.mediaUrls[1]!] as [string, string],
    ];
    for (const fields of [moreDeclared, fewerDeclared]) {
      expect(
        (await postSignedForm(webhookUrl(world), fields, world.fake.authToken, undefined, 5_000)).status,
      ).toBe(200);
    }
    const more = await settled(moreDeclared.find(([n]) => n === 'MessageSid')![1]);
    expect(more.map((a) => a.state)).toEqual(['ready', 'unavailable', 'unavailable']);
    expect(more[1]!.stateReason).toMatch(/no link/);
    const fewer = await settled(fewerDeclared.find(([n]) => n === 'MessageSid')![1]);
    expect(fewer.map((a) => [a.state, a.width])).toEqual([
      ['ready', 70],
      ['ready', 71],
    ]);
  });

  it('stores an item over the size cap as a visible "too large" placeholder', async () => {
    const big = Buffer.concat([await jpeg(64, 64), randomBytes(1_200_000)]);
    const sent = await text(newCustomer(), 'huge', { media: [{ bytes: big, contentType: 'image/jpeg' }] });
    const [attachment] = await settled(sent.messageSid);
    expect(attachment).toMatchObject({ state: 'too_large', stateReason: expect.stringMatching(/limit/) });
  });
});
