// The safety net for a Redis that lost jobs (restarted without persistence, flushed, failed
// over): a row the relay handed over that is long overdue, and that BullMQ no longer holds
// or holds as finished while the row is not, is marked for the relay again. Rows of jobs
// that BullMQ still holds (waiting, delayed, running) are left alone.
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';

export interface RepairDeps {
  db: Db;
  log: Logger;
  now: () => number;
  /** How long past due (or past its lease) a row must be before BullMQ is asked about it. */
  overdueMs: number;
  /** BullMQ's state of the job, "unknown" when it does not hold it. */
  brokerState(queue: string, id: string): Promise<string>;
  /** Removes a finished job from BullMQ, so the same id can be added again. */
  forget(queue: string, id: string): Promise<void>;
}

const BATCH = 100;

/** Returns how many rows were marked for the relay again. */
export async function repairLostJobs(deps: RepairDeps): Promise<number> {
  const before = deps.now() - deps.overdueMs;
  const rows = await deps.db
    .selectFrom('jobs')
    .select(['id', 'queue', 'state'])
    .where('relayedAt', 'is not', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'queued'), eb('runAt', '<', before)]),
        eb.and([eb('state', '=', 'running'), eb('lockedUntil', '<', before)]),
      ]),
    )
    .limit(BATCH)
    .execute();
  let repaired = 0;
  for (const row of rows) {
    const state = await deps.brokerState(row.queue, row.id);
    if (state !== 'unknown' && state !== 'completed' && state !== 'failed') continue;
    if (state !== 'unknown') await deps.forget(row.queue, row.id);
    const result = await deps.db
      .updateTable('jobs')
      .set({ state: 'queued', relayedAt: null, lockedBy: null, lockedUntil: null, updatedAt: deps.now() })
      .where('id', '=', row.id)
      .where('state', '=', row.state)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) {
      repaired += 1;
      deps.log.warn(
        { jobId: row.id, brokerState: state },
        'Redis no longer held this job; relaying it again',
      );
    }
  }
  return repaired;
}
