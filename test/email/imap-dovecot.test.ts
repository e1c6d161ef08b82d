// IMAP import against a real Dovecot started by the test with a throwaway configuration.
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/shared/api-schemas.js';
import { startEmailWorkers } from '../../src/server/channels/email/email-workers.js';
import * as corpus from './support/corpus.js';
import { startCuttingProxy, type CuttingProxy } from './support/cutting-proxy.js';
import { hasDovecot, startDovecot, type Dovecot } from './support/dovecot.js';
import { createEmailChannel, emailWorld, type EmailWorld } from './support/email-harness.js';

if (!hasDovecot) {
  process.stderr.write(
    '\n[imap] /usr/sbin/dovecot is absent: the IMAP tests are skipped (apt-get install dovecot-imapd).\n',
  );
}

let dovecot: Dovecot;
let world: EmailWorld;
let mailer: ImapFlow;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function storedIds(channelId: string): Promise<string[]> {
  const rows = await world.h.deps.db
    .selectFrom('messages')
    .select('providerMessageId')
    .where('channelId', '=', channelId)
    .orderBy('createdAt')
    .execute();
  return rows.map((row) => row.providerMessageId ?? '');
}

async function mailbox(name: string): Promise<void> {
  await mailer.mailboxCreate(name).catch(() => undefined);
}

async function append(box: string, raw: string | Buffer): Promise<void> {
  await mailer.append(box, raw);
}

async function imapChannel(box: string, overrides: Record<string, unknown> = {}): Promise<Channel> {
  return createEmailChannel(world, {
    address: `${box.toLowerCase()}@acme.test`,
    imap: {
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      user: dovecot.user,
      pass: dovecot.pass,
      mailbox: box,
      ...overrides,
    },
  });
}

describe.skipIf(!hasDovecot)('IMAP against Dovecot', () => {
  beforeAll(async () => {
    dovecot = await startDovecot();
    world = await emailWorld();
    mailer = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.pass },
      logger: false,
    });
    await mailer.connect();
  });
  afterAll(async () => {
    await mailer?.logout().catch(() => undefined);
    await world?.close();
    await dovecot?.stop();
  });

  it('imports the unread mail of a new mailbox, then new mail as it arrives (IDLE)', async () => {
    await mailbox('First');
    await append('First', corpus.gmailLike({ messageId: '<first-1@customer.test>' }));
    await append('First', corpus.plain({ messageId: '<first-2@customer.test>' }, 'second'));
    const channel = await imapChannel('First');
    await world.workers.poller(channel.id)!.syncNow();
    expect(await storedIds(channel.id)).toEqual(['<first-1@customer.test>', '<first-2@customer.test>']);
    await world.h.deps.queue.idle();
    const attachments = await world.h.deps.db
      .selectFrom('attachments')
      .innerJoin('messages', 'messages.id', 'attachments.messageId')
      .select(['attachments.name', 'attachments.state'])
      .where('messages.providerMessageId', '=', '<first-1@customer.test>')
      .execute();
    expect(attachments.map((a) => [a.name, a.state])).toEqual([
      ['lamp.png', 'ready'],
      ['invoice.pdf', 'ready'],
    ]);

    await append('First', corpus.plain({ messageId: '<first-3@customer.test>' }, 'arrives while idle'));
    expect(
      await until(
        () => storedIds(channel.id),
        (ids) => ids.length === 3,
        'the IDLE import',
      ),
    ).toContain('<first-3@customer.test>');
    const cursor = await until(
      () =>
        world.h.deps.db
          .selectFrom('emailCursors')
          .selectAll()
          .where('channelId', '=', channel.id)
          .executeTakeFirstOrThrow(),
      (row) => Number(row.lastUid) === 3,
      'the cursor to pass the third message',
    );
    expect(Number(cursor.uidValidity)).toBeGreaterThan(0);
  });

  it('imports nothing twice and misses nothing across a restart', async () => {
    await mailbox('Restart');
    await append('Restart', corpus.plain({ messageId: '<restart-1@customer.test>' }, 'one'));
    const channel = await imapChannel('Restart');
    await world.workers.poller(channel.id)!.syncNow();
    await world.workers.stop();
    await append('Restart', corpus.plain({ messageId: '<restart-2@customer.test>' }, 'two, while stopped'));
    await mailer.messageFlagsAdd({ all: true }, ['\\Seen'], { uid: false }).catch(() => undefined);
    world.workers = await startEmailWorkers(world.h.deps, {
      reconcileMs: 60_000,
      poller: { pollMs: 60_000, backoffMs: [50, 100, 200] },
    });
    await world.workers.poller(channel.id)!.syncNow();
    expect(await storedIds(channel.id)).toEqual(['<restart-1@customer.test>', '<restart-2@customer.test>']);
  });

  it('a connection dropped in the middle of a download loses nothing and repeats nothing', async () => {
    const proxy: CuttingProxy = await startCuttingProxy(dovecot.port);
    try {
      await mailbox('Drop');
      const big = corpus.plain(
        { messageId: '<drop-big@customer.test>', subject: 'Big' },
        'y'.repeat(200_000),
      );
      await append('Drop', corpus.plain({ messageId: '<drop-1@customer.test>' }, 'before the big one'));
      await append('Drop', big);
      await append('Drop', corpus.plain({ messageId: '<drop-3@customer.test>' }, 'after the big one'));
      proxy.cuts.push(60_000, 120_000);
      const channel = await imapChannel('Drop', { port: proxy.port });
      const ids = await until(
        () => storedIds(channel.id),
        (list) => list.length >= 3,
        'the import through the cutting proxy',
      );
      expect(ids).toEqual(['<drop-1@customer.test>', '<drop-big@customer.test>', '<drop-3@customer.test>']);
      expect(proxy.connections).toBeGreaterThanOrEqual(3);
      const big1 = await world.h.deps.db
        .selectFrom('messages')
        .select('text')
        .where('providerMessageId', '=', '<drop-big@customer.test>')
        .executeTakeFirstOrThrow();
      expect(big1.text.length).toBeGreaterThanOrEqual(200_000 - 10);
    } finally {
      await proxy.close();
    }
  });

  it('a new UIDVALIDITY imports the mailbox again without storing anything twice', async () => {
    await mailbox('Validity');
    await append('Validity', corpus.plain({ messageId: '<v-1@customer.test>' }, 'one'));
    const channel = await imapChannel('Validity');
    await world.workers.poller(channel.id)!.syncNow();
    const before = await world.h.deps.db
      .selectFrom('emailCursors')
      .selectAll()
      .where('channelId', '=', channel.id)
      .executeTakeFirstOrThrow();
    await world.workers.stop();
    await mailer.mailboxDelete('Validity');
    await mailer.mailboxCreate('Validity');
    await append('Validity', corpus.plain({ messageId: '<v-1@customer.test>' }, 'one'));
    await append('Validity', corpus.plain({ messageId: '<v-2@customer.test>' }, 'two'));
    world.workers = await startEmailWorkers(world.h.deps, {
      reconcileMs: 60_000,
      poller: { pollMs: 60_000, backoffMs: [50, 100, 200] },
    });
    await world.workers.poller(channel.id)!.syncNow();
    const after = await world.h.deps.db
      .selectFrom('emailCursors')
      .selectAll()
      .where('channelId', '=', channel.id)
      .executeTakeFirstOrThrow();
    expect(Number(after.uidValidity)).not.toBe(Number(before.uidValidity));
    expect(await storedIds(channel.id)).toEqual(['<v-1@customer.test>', '<v-2@customer.test>']);
  });

  it('a refused sign-in marks the channel as needing attention', async () => {
    await mailbox('Auth');
    const channel = await imapChannel('Auth', { pass: 'not-the-password' });
    const row = await until(
      () =>
        world.h.deps.db
          .selectFrom('channels')
          .select(['health', 'healthReason'])
          .where('id', '=', channel.id)
          .executeTakeFirstOrThrow(),
      (value) => value.health === 'needs_attention',
      'the health change',
    );
    expect(row.healthReason).toContain('sign-in');
  });
});
