// Moves committed job rows (the outbox) into the broker. A row is written in the caller's
// transaction; after the commit, `notify()` runs a relay pass, and a timer runs one every
// few seconds in case a process stopped between its commit and its pass. The broker job id
// is the row id, so handing the same row over twice (two relays, or a crash before the row
// was marked) adds nothing: the broker ignores a known id, and a worker skips a row that
// has already finished.
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import type { Dialect } from '../db/dialect.js';

export interface OutboxRow {
  id: string;
  name: string;
  queue: string;
  runAt: number;
  maxAttempts: number;
}

export interface OutboxRelay {
  /** Runs a pass now (or right after the one under way); resolves when the outbox is empty. */
  run(): Promise<void>;
  stop(): Promise<void>;
}

const BATCH = 200;
const POLL_MS = 2_000;

export function createOutboxRelay(deps: {
  db: Db;
  dialect: Dialect;
  log: Logger;
  now: () => number;
  handOver(rows: OutboxRow[]): Promise<void>;
}): OutboxRelay {
  let stopped = false;
  let current: Promise<void> | null = null;
  let again = false;

  // One batch. On PostgreSQL the rows stay locked until they are marked, so relays in other
  // processes take other rows; SQLite has one process.
  async function batch(db: Db): Promise<number> {
    const rows = await db
      .selectFrom('jobs')
      .select(['id', 'name', 'queue', 'runAt', 'maxAttempts'])
      .where('relayedAt', 'is', null)
      .where('state', '=', 'queued')
      .orderBy('createdAt')
      .limit(BATCH)
      .$if(deps.dialect === 'postgres', (qb) => qb.forUpdate().skipLocked())
      .execute();
    if (rows.length === 0) return 0;
    await deps.handOver(rows);
    await db
      .updateTable('jobs')
      .set({ relayedAt: deps.now() })
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    return rows.length;
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      for (;;) {
        if (stopped) return;
        const moved =
          deps.dialect === 'postgres'
            ? await deps.db.transaction().execute((tx) => batch(tx))
            : await batch(deps.db);
        if (moved < BATCH) break;
      }
    } while (again && !stopped);
  }

  function run(): Promise<void> {
    if (current) {
      again = true;
      return current;
    }
    current = drain()
      .catch((error: unknown) => {
        deps.log.error({ err: error }, 'could not relay jobs to Redis; trying again shortly');
      })
      .finally(() => {
        current = null;
      });
    return current;
  }

  const timer = setInterval(() => void run(), POLL_MS);
  timer.unref();

  return {
    run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
