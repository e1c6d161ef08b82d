// Our SMTP listener, fed by nodemailer (a real SMTP client) on loopback.
import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/shared/api-schemas.js';
import { maxMessageBytes } from '../../src/server/channels/email/email-limits.js';
import { jpeg } from '../support/images.js';
import {
  createEmailChannel,
  emailMeta,
  emailWorld,
  messageById,
  type EmailWorld,
} from './support/email-harness.js';

let world: EmailWorld;
let channel: Channel;
let port: number;

beforeAll(async () => {
  world = await emailWorld({ MAX_INBOUND_MEDIA_MB: '1' });
  channel = await createEmailChannel(world, { inbound: { smtpListen: 0 } });
  port = world.workers.listener(channel.id)!.port;
});
afterAll(async () => {
  await world.close();
});

const transport = () =>
  nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 5_000,
  });

async function latestMessageFrom(address: string) {
  const row = await world.h.deps.db
    .selectFrom('messages')
    .innerJoin('tickets', 'tickets.id', 'messages.ticketId')
    .innerJoin('contacts', 'contacts.id', 'tickets.contactId')
    .select('messages.id')
    .where('contacts.email', '=', address)
    .orderBy('messages.createdAt', 'desc')
    .executeTakeFirstOrThrow();
  return messageById(world, row.id);
}

describe('SMTP listener', () => {
  it('announces its size limit in EHLO', async () => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.startsWith('220') && !text.includes('EHLO-SENT')) {
        text += 'EHLO-SENT';
        socket.write('EHLO client.test\r\n');
      }
    });
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (/250 /.test(text.split('EHLO-SENT')[1] ?? '')) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    socket.end('QUIT\r\n');
    expect(text).toContain(`SIZE ${maxMessageBytes(1024 * 1024)}`);
  });

  it('stores mail sent by nodemailer, with its attachments, and answers only after storing', async () => {
    const photo = await jpeg(64, 48);
    const info = await transport().sendMail({
      from: 'Rita <rita@customer.test>',
      to: 'support@acme.test',
      subject: 'Over SMTP',
      text: 'Sent through the listener',
      html: '<p>Sent through the <i>listener</i></p><img src="cid:photo@x">',
      attachments: [{ filename: 'photo.jpg', content: photo, cid: 'photo@x' }],
    });
    expect(info.response).toMatch(/^250 Stored as /);
    await world.h.deps.queue.idle();
    const message = await latestMessageFrom('rita@customer.test');
    expect(message.text).toBe('Sent through the listener');
    expect(emailMeta(message)).toMatchObject({ inline: [0] });
    expect(message.attachments).toMatchObject([{ name: 'photo.jpg', state: 'ready', width: 64, height: 48 }]);
  });

  it('refuses recipients that are not the channel’s address', async () => {
    await expect(
      transport().sendMail({
        from: 'x@customer.test',
        to: 'someone-else@acme.test',
        subject: 'x',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    const info = await transport().sendMail({
      from: 'plus@customer.test',
      to: 'support+anything@acme.test',
      subject: 'plus',
      text: 'plus addressed',
    });
    expect(info.accepted).toEqual(['support+anything@acme.test']);
  });

  it('refuses mail over the limit with 552 and keeps a "too large" entry with its headers', async () => {
    await expect(
      transport().sendMail({
        from: 'Heavy <heavy@customer.test>',
        to: 'support@acme.test',
        subject: 'Too big',
        text: 'see attachment',
        attachments: [{ filename: 'big.bin', content: Buffer.alloc(maxMessageBytes(1024 * 1024), 1) }],
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
    const message = await latestMessageFrom('heavy@customer.test');
    expect(message.text).toContain('too large');
    expect(emailMeta(message).tooLarge).toBeDefined();
  });
});
