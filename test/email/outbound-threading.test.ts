// Replies go out through a loopback SMTP sink and are parsed back; the customer's answers come
// back in through the webhook and land in the right ticket, and nowhere else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel, Message } from '../../src/shared/api-schemas.js';
import { buildAccount } from '../support/harness.js';
import { signIn } from '../support/client.js';
import { jpeg } from '../support/images.js';
import * as corpus from './support/corpus.js';
import {
  createEmailChannel,
  emailMeta,
  emailWorld,
  messageById,
  postMime,
  type EmailWorld,
} from './support/email-harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';

let world: EmailWorld;
let sink: SmtpSink;
let channel: Channel;

beforeAll(async () => {
  world = await emailWorld();
  sink = await startSmtpSink({ user: 'relay-user', pass: 'relay-pass' });
  channel = await createEmailChannel(world, {
    smtp: { host: '127.0.0.1', port: sink.port, secure: false, user: 'relay-user', pass: 'relay-pass' },
    attachmentBudgetMb: 0.05,
  });
});
afterAll(async () => {
  await sink.close();
  await world.close();
});

async function open(subject: string, from = 'Ana Souza <ana@customer.test>') {
  const messageId = `<${subject.replace(/\W+/g, '-')}-${Date.now()}@customer.test>`;
  const response = await postMime(
    world,
    channel.id,
    corpus.plain({ subject, from, messageId }, `About ${subject}`),
  );
  return { ticketId: response.body.ticketId as string, messageId };
}

async function reply(ticketId: string, text: string, attachmentIds: string[] = []): Promise<Message> {
  const response = await world.agent.request<Message>('POST', `/api/tickets/${ticketId}/messages`, {
    text,
    attachmentIds,
  });
  expect(response.status).toBe(201);
  await world.h.deps.queue.idle();
  return messageById(world, response.body.id);
}

describe('sending', () => {
  it('sends HTML with a text alternative, threading headers and a Reply-To with the ticket token', async () => {
    const { ticketId, messageId } = await open('Lamp');
    const count = sink.messages.length;
    const sent = await reply(ticketId, 'Sorry about that!\n\nA new lamp is on its way.');
    expect(sent.status).toBe('sent');
    const [mail] = (await sink.waitFor(count + 1)).slice(count);
    const parsed = mail!.parsed;
    const ticket = await world.agent.request<{ number: number }>('GET', `/api/tickets/${ticketId}`);
    expect(mail!.to).toEqual(['ana@customer.test']);
    expect(parsed.from?.value[0]).toMatchObject({ address: 'support@acme.test', name: 'Acme Support' });
    expect(parsed.subject).toBe(`Re: Lamp [#${ticket.body.number}]`);
    expect(parsed.inReplyTo).toBe(messageId);
    expect(parsed.references).toBe(messageId);
    expect(parsed.text?.trim()).toBe('Sorry about that!\n\nA new lamp is on its way.');
    expect(parsed.html).toContain('<p>A new lamp is on its way.</p>');
    expect(parsed.replyTo?.value[0]?.address).toMatch(
      new RegExp(`^support\\+${ticket.body.number}-[0-9a-f]{20}@acme\\.test$`),
    );
    const delivery = await world.h.deps.db
      .selectFrom('deliveries')
      .select('providerMessageId')
      .where('messageId', '=', sent.id)
      .executeTakeFirstOrThrow();
    expect(delivery.providerMessageId).toBe(parsed.messageId);
  });

  it('puts small images inline beside the text, attaches files within the budget and links the rest', async () => {
    const { ticketId } = await open('Photos');
    const small = await jpeg(120, 80);
    const large = await jpeg(900, 700);
    const pdf = corpus.PDF_BYTES;
    const upload = await world.agent.upload<{ attachments: Attachment[] }>([
      { name: 'small.jpg', bytes: small, type: 'image/jpeg' },
      { name: 'label.pdf', bytes: pdf, type: 'application/pdf' },
      { name: 'large.jpg', bytes: large, type: 'image/jpeg' },
    ]);
    expect(large.length).toBeGreaterThan(0.05 * 1024 * 1024);
    await world.h.deps.queue.idle();
    const count = sink.messages.length;
    const sent = await reply(
      ticketId,
      'Here you go',
      upload.body.attachments.map((a) => a.id),
    );
    expect(sent.status).toBe('sent');
    const parsed = (await sink.waitFor(count + 1))[count]!.parsed;
    const inline = parsed.attachments.find((a) => a.filename === 'small.jpg')!;
    expect(inline.contentDisposition).toBe('inline');
    expect(parsed.html).toContain(`cid:${inline.cid}`);
    expect(inline.content.equals(small)).toBe(true);
    const attached = parsed.attachments.find((a) => a.filename === 'label.pdf')!;
    expect(attached.contentDisposition).toBe('attachment');
    expect(attached.content.equals(pdf)).toBe(true);
    expect(parsed.attachments.find((a) => a.filename === 'large.jpg')).toBeUndefined();
    const link = /https?:\/\/\S+\/media\/\S+large\.jpg/.exec(parsed.text ?? '')?.[0];
    expect(link).toBeDefined();
    const fetched = await fetch(link!);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(large)).toBe(true);
  });

  it('fails with the relay’s own words when it refuses the message', async () => {
    const { ticketId } = await open('Refused');
    sink.refusals.push({ code: 550, message: '5.7.1 Message rejected as spam' });
    const sent = await reply(ticketId, 'Trying');
    expect(sent.status).toBe('failed');
    expect(sent.errorCode).toBe('smtp_550');
    expect(sent.errorMessage).toContain('5.7.1 Message rejected as spam');
  });

  it('a refused sign-in fails the reply and marks the channel as needing attention', async () => {
    const other = await createEmailChannel(world, {
      address: 'help@acme.test',
      smtp: { host: '127.0.0.1', port: sink.port, secure: false, user: 'relay-user', pass: 'wrong' },
    });
    const response = await postMime(world, other.id, corpus.plain({ subject: 'Auth' }, 'hello'));
    const sent = await reply(response.body.ticketId as string, 'Trying');
    expect(sent.status).toBe('failed');
    expect(sent.errorCode).toBe('smtp_auth');
    const channels = await world.agent.request<{ channels: Channel[] }>('GET', '/api/channels');
    expect(channels.body.channels.find((c) => c.id === other.id)?.health).toBe('needs_attention');
  });
});

describe('threading answers', () => {
  it('by In-Reply-To, by the reply token alone, and by the subject token from the same customer', async () => {
    const { ticketId } = await open('Thread me');
    const count = sink.messages.length;
    await reply(ticketId, 'What is the order number?');
    const ours = (await sink.waitFor(count + 1))[count]!.parsed;
    const byHeader = await postMime(
      world,
      channel.id,
      corpus.plain(
        { subject: `Re: ${ours.subject}`, inReplyTo: ours.messageId },
        '1234\n\nOn Mon, Acme wrote:\n> What is the order number?',
      ),
    );
    expect(byHeader.body.ticketId).toBe(ticketId);
    const reread = await messageById(world, byHeader.body.messageId as string);
    expect(reread.text).toBe('1234');
    expect(emailMeta(reread).threadedBy).toBe('references');

    const token = ours.replyTo!.value[0]!.address!;
    const byToken = await postMime(
      world,
      channel.id,
      corpus.plain(
        { to: token, subject: 'no headers kept', from: 'Colleague <bob@customer.test>' },
        'from a colleague',
      ),
    );
    expect(byToken.body.ticketId).toBe(ticketId);

    const number = /\[#(\d+)\]/.exec(ours.subject!)![1];
    const bySubject = await postMime(
      world,
      channel.id,
      corpus.plain({ subject: `Still waiting [#${number}]` }, 'any news?'),
    );
    expect(bySubject.body.ticketId).toBe(ticketId);
    const stranger = await postMime(
      world,
      channel.id,
      corpus.plain({ subject: `Hijack [#${number}]`, from: 'eve@evil.test' }, 'let me in'),
    );
    expect(stranger.body.ticketId).not.toBe(ticketId);
  });

  it('a forged token or a reference to another account’s ticket starts a new ticket', async () => {
    const { ticketId } = await open('Mine');
    const count = sink.messages.length;
    await reply(ticketId, 'Reply in account one');
    const ours = (await sink.waitFor(count + 1))[count]!.parsed;
    const number = /\[#(\d+)\]/.exec(ours.subject!)![1];
    const forged = await postMime(
      world,
      channel.id,
      corpus.plain(
        { to: `support+${number}-00000000000000000000@acme.test`, from: 'eve@evil.test' },
        'forged',
      ),
    );
    expect(forged.body.ticketId).not.toBe(ticketId);

    const account = await buildAccount(world.h, 'Other');
    const otherAgent = await signIn(world.h, account.admin.email, account.admin.password);
    const otherChannel = await createEmailChannel(world, { address: 'help@other.test' }, otherAgent);
    const claim = await postMime(
      world,
      otherChannel.id,
      corpus.plain(
        {
          to: 'help@other.test',
          inReplyTo: ours.messageId,
          references: ours.messageId,
          subject: ours.subject,
        },
        'claiming a reply',
      ),
    );
    expect(claim.status).toBe(200);
    expect(claim.body.ticketId).not.toBe(ticketId);
    const landed = await world.h.deps.db
      .selectFrom('tickets')
      .select('accountId')
      .where('id', '=', claim.body.ticketId as string)
      .executeTakeFirstOrThrow();
    expect(landed.accountId).toBe(account.accountId);
  });

  it('a copy of our own reply coming back is not stored; mail marked automatic is flagged', async () => {
    const { ticketId } = await open('Echo');
    const count = sink.messages.length;
    await reply(ticketId, 'An answer');
    const mail = (await sink.waitFor(count + 1))[count]!;
    const back = await postMime(world, channel.id, mail.raw);
    expect(back.body).toMatchObject({ messageId: null, duplicate: true });
    const auto = await postMime(
      world,
      channel.id,
      corpus.plain({ subject: 'Out of office', extraHeaders: ['Auto-Submitted: auto-replied'] }, 'I am away'),
    );
    const autoMessage = await messageById(world, auto.body.messageId as string);
    expect(emailMeta(autoMessage).automated).toBe('auto-submitted');
    const bulk = await postMime(
      world,
      channel.id,
      corpus.plain({ subject: 'Newsletter', extraHeaders: ['Precedence: bulk'] }, 'news'),
    );
    expect(emailMeta(await messageById(world, bulk.body.messageId as string)).automated).toBe('bulk');
  });
});
