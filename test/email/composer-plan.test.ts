// The composer's plan and the server's send agree on the same files and the same channel: the
// channel view gives agents its attachment budget (never its secrets), the hints computed with
// it say which files go as links, and the e-mail that leaves attaches exactly the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel, Message } from '../../src/shared/api-schemas.js';
import { composerHints } from '../../src/web/composer/channel-hints.js';
import en from '../../src/web/i18n/catalogs/en.js';
import { createI18n } from '../../src/web/i18n/i18n.js';
import * as corpus from './support/corpus.js';
import {
  createEmailChannel,
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

/** A valid PDF of about `size` bytes (trailing whitespace after %%EOF). */
const pdfOf = (size: number) =>
  Buffer.concat([corpus.PDF_BYTES, Buffer.alloc(size - corpus.PDF_BYTES.length, 0x20)]);

describe('composer plan and e-mail send', () => {
  it('shows agents the budget, not the secrets', async () => {
    const list = await world.agent.request<{ channels: Channel[] }>('GET', '/api/channels');
    const view = list.body.channels.find((entry) => entry.id === channel.id)!;
    expect(view.limits).toEqual({ attachmentBudgetBytes: Math.floor(0.05 * 1024 * 1024) });
    expect(JSON.stringify(view)).not.toContain('relay-pass');
    expect(JSON.stringify(view)).not.toContain('replyTokenKey');
  });

  it('links exactly the files the hints said would go as links', async () => {
    const list = await world.agent.request<{ channels: Channel[] }>('GET', '/api/channels');
    const limits = list.body.channels.find((entry) => entry.id === channel.id)!.limits;
    const open = await postMime(
      world,
      channel.id,
      corpus.plain(
        { subject: 'Invoices', from: 'Ana <ana@customer.test>', messageId: '<inv-1@customer.test>' },
        'Hi',
      ),
    );
    const ticketId = open.body.ticketId as string;
    const upload = await world.agent.upload<{ attachments: Attachment[] }>(
      ['one.pdf', 'two.pdf', 'three.pdf'].map((name) => ({
        name,
        bytes: pdfOf(20_000),
        type: 'application/pdf',
      })),
    );
    expect(upload.status).toBe(201);
    await world.h.deps.queue.idle();
    const files = upload.body.attachments;
    const hints = composerHints(
      createI18n(en),
      'email',
      files.map((file) => ({ id: file.id, contentType: file.contentType, size: file.size })),
      'Your invoices',
      {},
      limits,
    );
    const hintedLinks = files
      .filter((file) => hints.files.get(file.id)?.overBudget === true)
      .map((f) => f.name);
    expect(hintedLinks).toEqual(['three.pdf']);

    const count = sink.messages.length;
    const response = await world.agent.request<Message>('POST', `/api/tickets/${ticketId}/messages`, {
      text: 'Your invoices',
      attachmentIds: files.map((file) => file.id),
    });
    expect(response.status).toBe(201);
    await world.h.deps.queue.idle();
    expect((await messageById(world, response.body.id)).status).toBe('sent');
    const parsed = (await sink.waitFor(count + 1))[count]!.parsed;
    const attached = parsed.attachments.map((a) => a.filename);
    const linked = files.map((f) => f.name).filter((name) => (parsed.text ?? '').includes(`${name} (`));
    expect(attached).toEqual(files.map((f) => f.name).filter((name) => !hintedLinks.includes(name)));
    expect(linked).toEqual(hintedLinks);
  });
});
