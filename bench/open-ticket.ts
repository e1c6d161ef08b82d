// Open a ticket (its 50 newest messages with attachments) in a database of 100,000 tickets
// and 1,000,000 messages: server time per request, on SQLite and on PostgreSQL. The same
// requests on a database of 1,000 tickets are the baseline.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { createRuntime, type Runtime } from '../src/server/compose.js';
import { loadConfig } from '../src/server/config.js';
import { createAccount, createAgent } from '../src/server/domain/agents.js';
import { buildApp } from '../src/server/http/build-app.js';
import type { Db } from '../src/server/infra/db/connect.js';
import { newId } from '../src/server/infra/ids.js';
import { percentile, table } from './support.js';

const progress = (text: string) => process.stderr.write(`[open-ticket] ${text}\n`);

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BATCH = 400;

interface Scale {
  tickets: number;
  messages: number;
  longTickets: number;
  longLength: number;
}

async function insertBatches<T>(
  db: Db,
  rows: Iterable<T>,
  write: (tx: Db, batch: T[]) => Promise<unknown>,
): Promise<void> {
  let batch: T[] = [];
  let pending: T[][] = [];
  const flush = async () => {
    const groups = pending;
    pending = [];
    await db.transaction().execute(async (tx) => {
      for (const group of groups) await write(tx, group);
    });
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length === BATCH) {
      pending.push(batch);
      batch = [];
      if (pending.length === 50) await flush();
    }
  }
  if (batch.length) pending.push(batch);
  if (pending.length) await flush();
}

export async function seed(
  runtime: Runtime,
  scale: Scale,
): Promise<{ cookie: string; long: string[]; short: string[] }> {
  const { db } = runtime.deps;
  const now = Date.now();
  const accountId = await createAccount(db, 'Bench', now);
  await createAgent(runtime.deps, accountId, {
    email: `bench-${randomBytes(3).toString('hex')}@x.test`,
    name: 'Bench',
    role: 'admin',
    password: 'bench-password',
  });
  const channelId = newId();
  await db
    .insertInto('channels')
    .values({
      id: channelId,
      accountId,
      kind: 'sms',
      name: 'Bench',
      config: '{}',
      secrets: '{}',
      simulator: 0,
      health: 'ok',
      healthReason: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    })
    .execute();
  const blobKey = 'a'.repeat(64);
  await db.insertInto('blobs').values({ key: blobKey, size: 250_000, refCount: 1, createdAt: now }).execute();

  const ticketIds: string[] = [];
  await insertBatches(
    db,
    (function* () {
      for (let i = 0; i < scale.tickets; i++) {
        const id = newId(now - (scale.tickets - i) * 1000);
        ticketIds.push(id);
        yield { id, i };
      }
    })(),
    async (tx, batch) => {
      await tx
        .insertInto('contacts')
        .values(
          batch.map(({ id, i }) => ({
            id,
            accountId,
            name: `Customer ${i}`,
            email: null,
            phone: `+1555${String(i).padStart(7, '0')}`,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .execute();
      await tx
        .insertInto('tickets')
        .values(
          batch.map(({ id, i }) => ({
            id,
            accountId,
            number: i + 1,
            channelId,
            contactId: id,
            status: 'open' as const,
            assigneeId: null,
            subject: `Order ${i}`,
            preview: 'hello',
            previewAttachmentName: null,
            previewAttachmentCount: 0,
            lastMessageAt: now - i,
            lastInboundAt: now - i,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .execute();
    },
  );

  const long = ticketIds.slice(0, scale.longTickets);
  const short = ticketIds.slice(scale.longTickets);
  const perShort = Math.floor((scale.messages - scale.longTickets * scale.longLength) / short.length);
  let counter = 0;
  await insertBatches(
    db,
    (function* () {
      for (const ticketId of ticketIds) {
        const count = long.includes(ticketId) ? scale.longLength : perShort;
        for (let j = 0; j < count; j++) {
          counter += 1;
          yield {
            ticketId,
            j,
            at: now - (count - j) * 60_000,
            id: newId(now - (count - j) * 60_000),
            media: counter % 5 === 0,
          };
        }
      }
    })(),
    async (tx, batch) => {
      await tx
        .insertInto('messages')
        .values(
          batch.map((m) => ({
            id: m.id,
            accountId,
            ticketId: m.ticketId,
            channelId,
            direction: m.j % 2 ? ('outbound' as const) : ('inbound' as const),
            authorAgentId: null,
            text: `Message ${m.j} about the order, with a few words of text.`,
            note: 0 as const,
            providerMessageId: null,
            status: 'delivered' as const,
            errorCode: null,
            errorMessage: null,
            meta: '{}',
            createdAt: m.at,
            updatedAt: m.at,
          })),
        )
        .execute();
      const withMedia = batch.filter((m) => m.media);
      if (withMedia.length) {
        await tx
          .insertInto('attachments')
          .values(
            withMedia.map((m) => ({
              id: newId(m.at),
              accountId,
              messageId: m.id,
              uploadedBy: null,
              blobKey,
              name: `photo-${m.j}.jpg`,
              contentType: 'image/jpeg',
              declaredType: 'image/jpeg',
              size: 250_000,
              width: 1200,
              height: 900,
              durationMs: null,
              state: 'ready' as const,
              stateReason: null,
              source: '{}',
              meta: '{"thumbnail":{"width":480,"height":360}}',
              position: 0,
              createdAt: m.at,
              updatedAt: m.at,
            })),
          )
          .execute();
      }
    },
  );
  return { cookie: '', long, short };
}

async function measure(runtime: Runtime, sample: string[], rounds: number): Promise<number[]> {
  const app = await buildApp(runtime.deps);
  await app.ready();
  const agent = await runtime.deps.db.selectFrom('agents').select('email').executeTakeFirstOrThrow();
  const login = await app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { email: agent.email, password: 'bench-password' },
  });
  const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const ticketId = sample[i % sample.length] as string;
    const started = process.hrtime.bigint();
    const response = await app.inject({
      method: 'GET',
      url: `/api/tickets/${ticketId}/messages?limit=50`,
      headers: { cookie },
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (response.statusCode !== 200) throw new Error(`open ticket answered ${response.statusCode}`);
    if (i >= 20) times.push(ms);
  }
  await app.close();
  return times;
}

async function runOn(
  kind: 'sqlite' | 'postgres',
  scale: Scale,
): Promise<{ p50: number; p95: number; p99: number; seedSeconds: number }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-open-'));
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
  }
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const runtime = await createRuntime(config, {
    log: pino({ level: 'silent' }),
    database:
      kind === 'sqlite'
        ? { kind: 'sqlite', file: join(dataDir, 'bench.sqlite') }
        : { kind: 'postgres', url: PG_URL, searchPath: schema },
  });
  try {
    const started = Date.now();
    progress(`${kind}: seeding ${scale.tickets} tickets and ${scale.messages} messages`);
    const { long, short } = await seed(runtime, scale);
    const seedSeconds = (Date.now() - started) / 1000;
    progress(`${kind}: seeded in ${seedSeconds.toFixed(1)} s; measuring`);
    if (kind === 'postgres') await sql`analyze`.execute(runtime.deps.db);
    const sample = [
      ...long.slice(0, 50),
      ...short.filter((_, i) => i % Math.max(1, Math.floor(short.length / 250)) === 0),
    ];
    const times = await measure(
      runtime,
      sample.sort(() => Math.random() - 0.5),
      520,
    );
    return {
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      p99: percentile(times, 99),
      seedSeconds,
    };
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    }
  }
}

async function canReach(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function main(): Promise<void> {
  const factor = Number(process.env.BENCH_SCALE ?? 1);
  const full: Scale = {
    tickets: 100_000 * factor,
    messages: 1_000_000 * factor,
    longTickets: Math.max(1, Math.round(100 * factor)),
    longLength: 2_000,
  };
  const small: Scale = { tickets: 1_000, messages: 10_000, longTickets: 1, longLength: 2_000 };
  const rows: Array<Array<string | number>> = [];
  for (const kind of ['sqlite', 'postgres'] as const) {
    const reachable = kind === 'sqlite' || (await canReach(PG_URL));
    if (!reachable) {
      rows.push([kind, 'PostgreSQL not reachable', '', '', '', '']);
      continue;
    }
    const target = kind === 'sqlite' ? 20 : 30;
    const base = await runOn(kind, small);
    rows.push([
      `${kind}, 1,000 tickets / 10,000 messages (baseline)`,
      base.p50.toFixed(2),
      base.p95.toFixed(2),
      base.p99.toFixed(2),
      '',
      '',
    ]);
    const result = await runOn(kind, full);
    rows.push([
      `${kind}, 100,000 tickets / 1,000,000 messages`,
      result.p50.toFixed(2),
      result.p95.toFixed(2),
      result.p99.toFixed(2),
      `< ${target}`,
      `${result.seedSeconds.toFixed(0)} s`,
    ]);
  }
  console.log(
    table(
      'Open a ticket: GET /api/tickets/:id/messages?limit=50 (server time, ms)',
      ['database', 'p50', 'p95', 'p99', 'p95 target', 'seeding'],
      rows,
    ),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
