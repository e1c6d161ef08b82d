// Reads a mailbox over IMAP with imapflow: on connect, on every new-message notice (IDLE where
// the server offers it, NOOP polling where it does not) and on a timer as a safety net. Each
// message is downloaded as a stream into `ingestRawEmail`, then the cursor moves past it; a
// failure (including a connection dropped mid-download) reconnects with backoff and resumes at
// the cursor. The first import of a mailbox takes its unread messages; a new UIDVALIDITY
// imports the mailbox again, and Message-IDs keep that from storing anything twice.
import { ImapFlow } from 'imapflow';
import type { Deps } from '../../context.js';
import { setChannelHealth } from '../../domain/channels.js';
import type { ChannelRecord } from '../adapter.js';
import type { EmailConfig } from './email-config.js';
import { emailLimits, maxMessageBytes } from './email-limits.js';
import { loadCursor, saveCursor, type ImapCursor } from './imap-cursor.js';
import { ingestRawEmail, ingestTooLargeEmail } from './ingest-email.js';

export interface RunningPoller {
  /** Checks the mailbox now (and resolves when that check is done). */
  syncNow(): Promise<void>;
  stop(): Promise<void>;
}

export interface PollerOptions {
  pollMs?: number;
  backoffMs?: readonly number[];
}

type ImapSettings = NonNullable<EmailConfig['imap']>;

const FAILURES_BEFORE_ATTENTION = 3;

function describe(error: unknown): { message: string; auth: boolean } {
  const shape = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const auth = shape.authenticationFailed === true;
  const response = typeof shape.responseText === 'string' ? shape.responseText : '';
  const message = error instanceof Error ? error.message : String(error);
  return { message: response || message, auth };
}

export function startImapPoller(
  deps: Deps,
  channel: ChannelRecord<EmailConfig>,
  imap: ImapSettings,
  options: PollerOptions = {},
): RunningPoller {
  const log = deps.log.child({ channelId: channel.id, ingress: 'imap' });
  const pollMs = options.pollMs ?? emailLimits.imapPollMs;
  const backoff = options.backoffMs ?? emailLimits.imapBackoffMs;
  const cap = maxMessageBytes(deps.config.maxInboundMediaBytes);
  let stopped = false;
  let client: ImapFlow | null = null;
  let wake: (() => void) | null = null;
  let failures = 0;
  let healthy = true;
  const waiters: Array<() => void> = [];
  let requested = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function importOne(connection: ImapFlow, cursor: ImapCursor, uid: number): Promise<void> {
    const info = await connection.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
    if (!info) return;
    const size = info.size ?? 0;
    if (size > cap) {
      const head = await connection.fetchOne(String(uid), { headers: true }, { uid: true });
      const headers = head && head.headers ? head.headers : Buffer.alloc(0);
      await ingestTooLargeEmail(deps, channel, { head: headers, size, via: 'imap' });
    } else {
      const download = await connection.download(String(uid), undefined, { uid: true });
      if (download.content) {
        await ingestRawEmail(deps, channel, { stream: download.content, via: 'imap', declaredSize: size });
      }
    }
    cursor.lastUid = uid;
    await saveCursor(deps.db, channel.id, cursor, deps.now());
  }

  async function sync(connection: ImapFlow): Promise<void> {
    const mailbox = connection.mailbox;
    if (!mailbox) return;
    const uidValidity = Number(mailbox.uidValidity);
    let cursor = await loadCursor(deps.db, channel.id);
    let uids: number[];
    if (!cursor || cursor.mailbox !== imap.mailbox || cursor.uidValidity !== uidValidity) {
      const first = !cursor || cursor.mailbox !== imap.mailbox;
      if (!first)
        log.warn(
          { was: cursor?.uidValidity, now: uidValidity },
          'UIDVALIDITY changed; importing the mailbox again',
        );
      cursor = { mailbox: imap.mailbox, uidValidity, lastUid: 0 };
      const found = await connection.search(first ? { seen: false } : { all: true }, { uid: true });
      uids = Array.isArray(found) ? found : [];
      const base = { ...cursor, lastUid: first ? Math.max(0, (mailbox.uidNext ?? 1) - 1) : 0 };
      for (const uid of [...uids].sort((a, b) => a - b)) await importOne(connection, cursor, uid);
      cursor.lastUid = Math.max(cursor.lastUid, base.lastUid);
      await saveCursor(deps.db, channel.id, cursor, deps.now());
      return;
    }
    const found = await connection.search({ uid: `${cursor.lastUid + 1}:*` }, { uid: true });
    uids = (Array.isArray(found) ? found : []).filter((uid) => uid > (cursor as ImapCursor).lastUid);
    for (const uid of uids.sort((a, b) => a - b)) await importOne(connection, cursor, uid);
  }

  async function session(): Promise<void> {
    const connection = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: imap.secure,
      auth: { user: imap.user, pass: imap.pass },
      logger: false,
      autoIdleDelay: emailLimits.imapIdleAfterMs,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 5 * 60_000,
    });
    client = connection;
    let closed = false;
    connection.on('error', (error: unknown) => log.warn({ err: error }, 'IMAP connection error'));
    connection.on('close', () => {
      closed = true;
      wake?.();
    });
    connection.on('exists', () => {
      requested = true;
      wake?.();
    });
    await connection.connect();
    try {
      failures = 0;
      if (!healthy) {
        healthy = true;
        await setChannelHealth(deps, channel.id, 'ok', null);
      }
      while (!stopped && !closed) {
        requested = false;
        const settled = waiters.splice(0);
        // The lock is held only while importing: imapflow starts IDLE (or NOOP polling where
        // the server has no IDLE) once the connection is free, and reports new mail as 'exists'.
        const lock = await connection.getMailboxLock(imap.mailbox);
        try {
          await sync(connection);
        } finally {
          lock.release();
        }
        for (const resolve of settled) resolve();
        if (stopped || closed) break;
        if (!requested && waiters.length === 0) await sleep(pollMs);
      }
    } finally {
      if (!closed) await connection.logout().catch(() => connection.close());
      client = null;
    }
    if (!stopped) throw new Error('The IMAP server closed the connection.');
  }

  const running = (async () => {
    while (!stopped) {
      try {
        await session();
      } catch (error) {
        if (stopped) break;
        failures += 1;
        const { message, auth } = describe(error);
        log.warn({ err: error, failures }, 'IMAP import interrupted; reconnecting');
        if (auth || failures >= FAILURES_BEFORE_ATTENTION) {
          healthy = false;
          await setChannelHealth(
            deps,
            channel.id,
            'needs_attention',
            auth
              ? `The IMAP server refused the sign-in: ${message}`
              : `The mailbox cannot be read: ${message}`,
          ).catch(() => undefined);
        }
        await sleep(backoff[Math.min(failures - 1, backoff.length - 1)] ?? 60_000);
      }
    }
  })();

  return {
    syncNow() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        requested = true;
        wake?.();
      });
    },
    async stop() {
      stopped = true;
      wake?.();
      client?.close();
      await running;
      for (const resolve of waiters.splice(0)) resolve();
    },
  };
}
