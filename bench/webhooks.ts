// Inbound text webhooks (Twilio-signed SMS) per second, and the latency from the webhook's POST
// to the agent's socket receiving the message, on the embedded profile (SQLite, one process)
// and the scale profile (PostgreSQL + Redis, a separate worker) with one and two web
// instances; with two, the webhooks alternate between them and the socket is on the first.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import WebSocket from 'ws';
import { startFakeTwilio, type FakeTwilio } from '../src/server/simulators/fake-twilio.js';
import { startInstance, type Instance } from '../test/scale/processes.js';
import { freshDatabase } from '../test/scale/scale-support.js';
import { eventLockRuns } from './event-lock.js';
import { percentile, table } from './support.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
const WARMUP = 40;
const CUSTOMERS = 50;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const NUMBER = '+12025550199';
const PASSWORD = 'bench admin password';

interface Result {
  profile: string;
  sent: number;
  seconds: number;
  ack: number[];
  toSocket: number[];
  lost: number;
  duplicated: number;
  cpuSeconds: Record<string, number>;
  lockWaits: number | null;
  connections: number | null;
  load: [number, number];
}

const customer = (i: number) => `+1202555${String(3000 + (i % CUSTOMERS)).padStart(4, '0')}`;

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuOf(pid: number | undefined): number {
  if (!pid) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function signIn(url: string, email: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`sign-in: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrf: body.csrfToken };
}

async function run(
  profile: string,
  webs: Instance[],
  others: Instance[],
  fake: FakeTwilio,
  email: string,
  databaseUrl: string | null,
): Promise<Result> {
  const first = webs[0] as Instance;
  const session = await signIn(first.url, email);
  const created = await fetch(`${first.url}/api/channels`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
    body: JSON.stringify({
      kind: 'sms',
      name: 'Bench line',
      config: {
        accountSid: fake.accountSid,
        authToken: fake.authToken,
        from: NUMBER,
        apiBaseUrl: fake.baseUrl,
      },
    }),
  });
  const channel = (await created.json()) as { id: string };

  const started = new Map<string, number>();
  const toSocket: number[] = [];
  const received = new Set<string>();
  let duplicated = 0;
  const socket = new WebSocket(`${first.url.replace('http', 'ws')}/api/ws`, {
    headers: { cookie: session.cookie, origin: first.url },
  });
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as { type: string; data?: { message?: { text?: string } } };
    if (frame.type !== 'message.created') return;
    const token = frame.data?.message?.text ?? '';
    const at = started.get(token);
    if (at === undefined) return;
    if (received.has(token)) duplicated += 1;
    else {
      received.add(token);
      toSocket.push(performance.now() - at);
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });

  let next = 0;
  const post = async (measure: boolean, ack: number[]) => {
    const i = next++;
    const target = webs[i % webs.length] as Instance;
    const token = `${measure ? 'm' : 'w'}${i}`;
    const at = performance.now();
    if (measure) started.set(token, at);
    const result = await fake.sendInbound({
      webhookUrl: `${target.url}/webhooks/sms/${channel.id}`,
      from: customer(i),
      to: NUMBER,
      body: token,
    });
    if (result.response.status !== 200) throw new Error(`webhook answered ${result.response.status}`);
    if (measure) ack.push(performance.now() - at);
  };
  const warm: number[] = [];
  for (let i = 0; i < WARMUP; i++) await post(false, warm);

  const lockWaits: number[] = [];
  const connections: number[] = [];
  let sampling = databaseUrl !== null;
  const sampler = databaseUrl
    ? (async () => {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        const name = new URL(databaseUrl).pathname.slice(1);
        while (sampling) {
          const { rows } = await client.query<{ waits: string; total: string }>(
            `select count(*) filter (where wait_event = 'advisory') as waits, count(*) as total
               from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
            [name],
          );
          lockWaits.push(Number(rows[0]?.waits));
          connections.push(Number(rows[0]?.total));
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await client.end();
      })()
    : Promise.resolve();

  const processes = [...webs, ...others];
  const cpuBefore = processes.map((p) => cpuOf(p.child.pid));
  const ack: number[] = [];
  const begin = performance.now();
  const end = begin + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) await post(true, ack);
    }),
  );
  const seconds = (performance.now() - begin) / 1000;
  const cpuSeconds = Object.fromEntries(
    processes.map((p, i) => [p.name, cpuOf(p.child.pid) - (cpuBefore[i] ?? 0)]),
  );
  for (let i = 0; i < 200 && received.size < started.size; i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  sampling = false;
  await sampler;
  socket.close();
  const mean = (values: number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0);
  const [load1, load5] = loadavg() as [number, number, number];
  return {
    profile,
    sent: ack.length,
    seconds,
    ack,
    toSocket,
    lost: started.size - received.size,
    duplicated,
    cpuSeconds,
    lockWaits: databaseUrl ? mean(lockWaits) : null,
    connections: databaseUrl ? Math.max(0, ...connections) : null,
    load: [load1, load5],
  };
}

async function profileRun(
  profile: string,
  webCount: number,
  scale: boolean,
  fake: FakeTwilio,
): Promise<Result> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  const database = scale ? await freshDatabase(DATABASE_URL) : null;
  const email = `bench-${randomBytes(4).toString('hex')}@switchboard.local`;
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SIMULATORS: '0',
    CHANNEL_WORKERS: '0',
    ADMIN_EMAIL: email,
    ADMIN_PASSWORD: PASSWORD,
    ...(database ? { DATABASE_URL: database.url, REDIS_URL: REDIS_URL, SERVE_JOBS: '0' } : {}),
  };
  const webs: Instance[] = [];
  const others: Instance[] = [];
  try {
    webs.push(await startInstance('web 1', 'serve', env));
    for (let i = 2; i <= webCount; i++) webs.push(await startInstance(`web ${i}`, 'serve', env));
    if (scale) others.push(await startInstance('worker', 'worker', { ...env, LOG_LEVEL: 'info' }));
    return await run(profile, webs, others, fake, email, database?.url ?? null);
  } finally {
    await Promise.all([...webs, ...others].map((p) => p.stop()));
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function main(): Promise<void> {
  const fake = await startFakeTwilio({
    accountSid: `AC${randomBytes(16).toString('hex')}`,
    authToken: randomBytes(16).toString('hex'),
  });
  const results: Result[] = [];
  try {
    results.push(await profileRun('embedded: SQLite, 1 process', 1, false, fake));
    results.push(await profileRun('scale: PostgreSQL + Redis, 1 web + 1 worker', 1, true, fake));
    results.push(await profileRun('scale: PostgreSQL + Redis, 2 web + 1 worker', 2, true, fake));
  } finally {
    await fake.close();
  }
  const locks = await eventLockRuns({ databaseUrl: DATABASE_URL, redisUrl: REDIS_URL }, CONCURRENCY, 4_000);
  const ms = (v: number) => v.toFixed(1);
  console.log(
    table(
      `Inbound text webhooks, ${CONCURRENCY} concurrent senders for ${DURATION_MS / 1000} s, one account, ${CUSTOMERS} customers`,
      ['', ...results.map((r) => r.profile)],
      [
        ['webhooks answered', ...results.map((r) => r.sent)],
        ['webhooks / s', ...results.map((r) => (r.sent / r.seconds).toFixed(0))],
        ['POST → 200, p50 (ms)', ...results.map((r) => ms(percentile(r.ack, 50)))],
        ['POST → 200, p99 (ms)', ...results.map((r) => ms(percentile(r.ack, 99)))],
        ['POST → agent socket, p50 (ms)', ...results.map((r) => ms(percentile(r.toSocket, 50)))],
        ['POST → agent socket, p99 (ms)', ...results.map((r) => ms(percentile(r.toSocket, 99)))],
        ['lost / duplicated on the socket', ...results.map((r) => `${r.lost} / ${r.duplicated}`)],
        [
          'CPU seconds per process',
          ...results.map((r) =>
            Object.entries(r.cpuSeconds)
              .map(([name, s]) => `${name} ${s.toFixed(1)}`)
              .join(', '),
          ),
        ],
        [
          'PG backends waiting on the account lock (mean)',
          ...results.map((r) => (r.lockWaits === null ? '–' : r.lockWaits.toFixed(2))),
        ],
        [
          'PG connections in use (max)',
          ...results.map((r) => (r.connections === null ? '–' : r.connections)),
        ],
        [
          'load average (1 min, 5 min) after',
          ...results.map((r) => `${r.load[0].toFixed(2)}, ${r.load[1].toFixed(2)}`),
        ],
      ],
    ),
  );
  console.log(
    table(
      `Transactions appending two events, ${CONCURRENCY} concurrent writers in one process for 4 s, PostgreSQL`,
      ['', 'transactions / s', 'p50 (ms)', 'p99 (ms)'],
      locks.map((run) => [
        run.accounts === 1 ? 'all for one account (one lock)' : `spread over ${run.accounts} accounts`,
        run.perSecond.toFixed(0),
        ms(run.p50),
        ms(run.p99),
      ]),
    ),
  );
  const bad = results.filter((r) => r.lost > 0 || r.duplicated > 0);
  if (bad.length) throw new Error(`messages lost or duplicated on: ${bad.map((r) => r.profile).join(', ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
