// Raw MIME through the webhook door: what each mail client's shape becomes, and what broken
// or hostile input becomes (never a crash, never a loss, never a duplicate).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Message } from '../../src/shared/api-schemas.js';
import * as corpus from './support/corpus.js';
import {
  createEmailChannel,
  emailMeta,
  emailWorld,
  messageById,
  postMime,
  type EmailWorld,
} from './support/email-harness.js';

let world: EmailWorld;
let channel: Channel;

beforeAll(async () => {
  world = await emailWorld({ MAX_INBOUND_MEDIA_MB: '1' });
  channel = await createEmailChannel(world, {});
});
afterAll(async () => {
  await world.close();
});

async function deliver(raw: string | Buffer): Promise<Message> {
  const response = await postMime(world, channel.id, raw);
  expect(response.status).toBe(200);
  await world.h.deps.queue.idle();
  return messageById(world, response.body.messageId as string);
}

describe('webhook door', () => {
  it('hides the secrets of the configuration and names the webhook URL', async () => {
    expect(channel.webhookUrl).toBe(`${world.h.url}/webhooks/email/${channel.id}`);
    expect(channel.config).toMatchObject({ address: 'support@acme.test', smtp: { host: '127.0.0.1' } });
    expect(JSON.stringify(channel.config)).not.toContain('webhookSecret');
    expect(JSON.stringify(channel.config)).not.toContain('replyTokenKey');
  });

  it('refuses a wrong or missing secret with 403 and stores nothing', async () => {
    const before = await world.h.deps.db.selectFrom('messages').select('id').execute();
    expect(
      (await postMime(world, channel.id, corpus.plain({}, 'hi'), 'wrong-secret-wrong-secret')).status,
    ).toBe(403);
    const bare = await fetch(`${world.h.url}/webhooks/email/${channel.id}`, { method: 'POST', body: 'x' });
    expect(bare.status).toBe(403);
    expect(await world.h.deps.db.selectFrom('messages').select('id').execute()).toHaveLength(before.length);
  });

  it('stores one message for the same mail delivered three times at once', async () => {
    const raw = corpus.plain({ messageId: '<thrice@customer.test>' }, 'same mail thrice');
    const responses = await Promise.all([1, 2, 3].map(() => postMime(world, channel.id, raw)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const rows = await world.h.deps.db
      .selectFrom('messages')
      .select('id')
      .where('providerMessageId', '=', '<thrice@customer.test>')
      .execute();
    expect(rows).toHaveLength(1);
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
  });
});

describe('message shapes', () => {
  it('Gmail: new words apart from the quote, scripts gone, tracker held back, cid image inline', async () => {
    const message = await deliver(corpus.gmailLike());
    const meta = emailMeta(message);
    expect(message.text).toBe('The lamp arrived broken, photo below.\n[image: lamp.png]');
    expect(meta.quotedText).toContain('How can we help?');
    expect(meta.html).toContain('<b>broken</b>');
    expect(meta.html).not.toMatch(/script|onclick|javascript:/);
    expect(meta.html).not.toContain('gmail_quote');
    expect(meta.quotedHtml).toContain('How can we help?');
    expect(meta.html).toContain('data-remote-src="https://tracker.example/pixel.gif"');
    expect(meta.html).not.toMatch(/\ssrc="https:/);
    expect(meta.remoteImagesBlocked).toBe(1);
    expect(meta.html).toContain('data-attachment="0"');
    expect(meta.inline).toEqual([0]);
    expect(message.attachments.map((a) => [a.name, a.state, a.contentType])).toEqual([
      ['lamp.png', 'ready', 'image/png'],
      ['invoice.pdf', 'ready', 'application/pdf'],
    ]);
    const bytes = await world.agent.request('GET', message.attachments[0]!.url!);
    expect(bytes.raw.equals(corpus.PNG_1PX)).toBe(true);
  });

  it('Outlook: cid, Content-Location and unreferenced inline images all shown; quote folded; winmail.dat kept with a note', async () => {
    const message = await deliver(corpus.outlookLike());
    const meta = emailMeta(message);
    expect(message.attachments.map((a) => a.name)).toEqual([
      'image001.png',
      'image002.png',
      'image003.png',
      'winmail.dat',
    ]);
    expect(meta.inline).toEqual([0, 1, 2]);
    for (const position of [0, 1, 2]) expect(meta.html).toContain(`data-attachment="${position}"`);
    expect(meta.html).not.toContain('divRplyFwdMsg');
    expect(meta.quotedHtml).toContain('Earlier text');
    expect(message.text).toBe('Screenshot of the error:');
    expect(meta.notes.join(' ')).toContain('winmail.dat');
    expect(message.attachments[3]).toMatchObject({ state: 'ready', contentType: 'application/octet-stream' });
  });

  it('Apple Mail: both text parts kept and the inline image shown with them', async () => {
    const message = await deliver(corpus.appleLike());
    const meta = emailMeta(message);
    expect(message.text).toContain('Here is the lamp:');
    expect(message.text).toContain('and the box it came in.');
    expect(meta.inline).toEqual([0]);
    expect(meta.html).toContain('data-attachment="0"');
    expect(message.attachments[0]).toMatchObject({ name: 'lamp.png', state: 'ready', kind: 'image' });
  });

  it('a forward: the forwarded text is shown and its attachment kept', async () => {
    const message = await deliver(corpus.forwarded());
    expect(message.text).toContain('Forwarding what the shop sent me.');
    expect(message.text).toContain('Your order 1234 has shipped.');
    expect(message.attachments.map((a) => [a.name, a.state])).toEqual([['receipt.pdf', 'ready']]);
  });

  it('non-ASCII sender, subject and RFC 2231/2047 file names', async () => {
    const response = await postMime(world, channel.id, corpus.nonAscii());
    await world.h.deps.queue.idle();
    const message = await messageById(world, response.body.messageId as string);
    expect(message.text).toBe('Grüße aus Köln');
    expect(message.author?.name).toBe('José Müller');
    expect(message.attachments.map((a) => a.name)).toEqual(['résumé ✓.pdf', 'счет.pdf']);
    const ticket = await world.agent.request<{ subject: string }>(
      'GET',
      `/api/tickets/${response.body.ticketId as string}`,
    );
    expect(ticket.body.subject).toBe('Échange du produit ✓');
  });
});

describe('bad input', () => {
  it('wrong charsets, a 0-byte file and names with paths or control characters', async () => {
    const message = await deliver(corpus.awkward());
    expect(message.text).toContain('au lait');
    expect(message.attachments.map((a) => [a.name, a.state])).toEqual([
      ['empty.bin', 'unavailable'],
      ['passwd.pdf', 'ready'],
      ['notes.txt', 'ready'],
    ]);
    expect(message.attachments[0]!.stateReason).toContain('empty');
  });

  it('malformed MIME is kept as the original message.eml with the reason', async () => {
    const message = await deliver(corpus.malformed());
    expect(message.text).toContain('could not be read');
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0]).toMatchObject({ name: 'message.eml', state: 'ready' });
  });

  it('a 10,000-part message keeps its first 100 attachments and the original as message.eml, and says so', async () => {
    const raw = corpus.manyParts(10_000);
    const message = await deliver(raw);
    expect(message.text).toBe('many parts');
    expect(message.attachments).toHaveLength(101);
    expect(message.attachments.slice(0, 100).map((a) => a.name)).toEqual(
      Array.from({ length: 100 }, (_, i) => `p${i}.txt`),
    );
    const original = message.attachments[100]!;
    expect(original).toMatchObject({ name: 'message.eml', state: 'ready', size: Buffer.byteLength(raw) });
    const notes = emailMeta(message).notes.join(' ');
    expect(notes).toContain('9900 more attachments were not imported');
    expect(notes).toContain('The original message, with every part, is attached as message.eml.');
    const kept = await world.agent.request('GET', `/api/attachments/${original.id}/content`);
    expect(kept.status).toBe(200);
    expect(kept.raw.equals(Buffer.from(raw))).toBe(true);
  });

  it('a message within the part cap gets no message.eml', async () => {
    const message = await deliver(corpus.manyParts(3));
    expect(message.attachments.map((a) => a.name)).toEqual(['p0.txt', 'p1.txt', 'p2.txt']);
    expect(emailMeta(message).notes.join(' ')).not.toContain('message.eml');
  });

  it('a multipart nested 5,000 deep is kept as its original', async () => {
    const message = await deliver(corpus.deeplyNested(5_000));
    expect(message.attachments.map((a) => a.name)).toEqual(['message.eml']);
    const shallow = await deliver(corpus.deeplyNested(100));
    expect(shallow.text).toBe('at the bottom');
  });

  it('a message over the size cap becomes a "too large" entry with its headers', async () => {
    const big = corpus.plain(
      { subject: 'Huge scan', from: 'Big Sender <big@customer.test>' },
      'x'.repeat(4 * 1024 * 1024),
    );
    const response = await postMime(world, channel.id, big);
    expect(response.status).toBe(200);
    expect(response.body.tooLarge).toBe(true);
    const message = await messageById(world, response.body.messageId as string);
    expect(message.text).toContain('too large');
    expect(message.author?.name).toBe('Big Sender');
    expect(emailMeta(message).tooLarge?.limit).toBeGreaterThan(1024 * 1024);
  });

  it('an attachment over the media cap is kept as "too large" beside the rest', async () => {
    const payload = Buffer.alloc(1024 * 1024 + 10, 7)
      .toString('base64')
      .match(/.{1,76}/g)!
      .join('\r\n');
    const raw = `${corpus.headers({})}\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbig file attached\r\n--b\r\nContent-Type: application/zip; name="big.zip"\r\nContent-Disposition: attachment; filename="big.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n${payload}\r\n--b--\r\n`;
    const message = await deliver(raw);
    expect(message.attachments).toMatchObject([{ name: 'big.zip', state: 'too_large' }]);
  });
});
