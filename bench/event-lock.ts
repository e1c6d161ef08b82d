// The per-account lock on event writes, alone: transactions that each append two events
// (what an inbound message appends), from concurrent writers on PostgreSQL, all for one
// account against spread over as many accounts as writers.
import { randomBytes } from 'node:crypto';
import type { EventPayloads } from '../src/shared/events.js';
import { createAccount } from '../src/server/domain/agents.js';
import { transact } from '../src/server/domain/transaction.js';
import { freshSchema, scaleRuntime } from '../test/scale/scale-support.js';
import { percentile } from './support.js';

export interface LockRun {
  accounts: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export async function eventLockRuns(
  engines: { databaseUrl: string; redisUrl: string },
  writers: number,
  durationMs: number,
): Promise<LockRun[]> {
  const { schema, drop } = await freshSchema(engines.databaseUrl);
  const runtime = await scaleRuntime(
    engines,
    schema,
    `bench-${randomBytes(4).toString('hex')}:`,
    writers + 2,
  );
  const payload = { ticket: { id: 'bench' } } as unknown as EventPayloads['ticket.updated'];
  try {
    const accounts = await Promise.all(
      Array.from({ length: writers }, (_, i) => createAccount(runtime.deps.db, `Lock ${i}`, Date.now())),
    );
    const runs: LockRun[] = [];
    for (const spread of [1, writers]) {
      const times: number[] = [];
      const end = performance.now() + durationMs;
      const begin = performance.now();
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          const accountId = accounts[writer % spread] as string;
          while (performance.now() < end) {
            const at = performance.now();
            await transact(runtime.deps, async (_tx, effects) => {
              await effects.emit(accountId, 'ticket.updated', payload);
              await effects.emit(accountId, 'ticket.updated', payload);
            });
            times.push(performance.now() - at);
          }
        }),
      );
      const seconds = (performance.now() - begin) / 1000;
      runs.push({
        accounts: spread,
        perSecond: times.length / seconds,
        p50: percentile(times, 50),
        p99: percentile(times, 99),
      });
    }
    return runs;
  } finally {
    await runtime.close();
    await drop();
  }
}
