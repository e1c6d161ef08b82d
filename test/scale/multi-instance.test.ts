// Two web instances and workers, separate processes on one PostgreSQL database, one Redis and
// one S3-compatible bucket, each with a data directory of its own (nothing shared on disk), as
// the scale profile runs behind a load balancer: a session works on either instance, a file
// uploaded to one is served by the other, a webhook received by one reaches an agent's socket
// on the other, resuming a socket on the other instance misses nothing, and a media job whose
// worker is killed is finished by another. Every message is stored and announced exactly once.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel } from '../../src/shared/api-schemas.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { onInstance, signIn, type Client } from '../support/client.js';
import { createdTexts, openAgentSocket, type AgentSocket } from './agent-socket.js';
import { startInstance, type Instance } from './processes.js';
import { freshDatabase, scaleEngines, scaleSkipReason, withAdmin } from './scale-support.js';

const engines = scaleEngines();
const PER_BURST = 20;

describe.skipIf(!engines)(
  `two web instances and a worker (${engines ? 'PostgreSQL + Redis' : scaleSkipReason})`,
  () => {
    let database: { url: string; drop(): Promise<void> };
    let dataDirs: string[] = [];
    let s3: S3TestServer;
    let env: Record<string, string>;
    let a: Instance;
    let b: Instance;
    let worker: Instance;
    let fake: FakeTwilio;
    let agentA: Client;
    let agentB: Client;
    let channel: Channel;
    const email = `admin-${randomBytes(4).toString('hex')}@multi.test`;
    const password = 'a long admin password';
    const number = '+12025550142';

    const count = async (query: string): Promise<number> =>
      withAdmin(database.url, async (client) =>
        Number((await client.query<{ n: string }>(query)).rows[0]?.n),
      );
    const webhook = (instance: Instance) => `${instance.url}/webhooks/sms/${channel.id}`;

    beforeAll(async () => {
      const ready = engines as NonNullable<typeof engines>;
      database = await freshDatabase(ready.databaseUrl);
      s3 = await startS3Server();
      env = {
        DATABASE_URL: database.url,
        REDIS_URL: ready.redisUrl,
        ...s3.env(await s3.createBucket()),
        SERVE_JOBS: '0',
        SIMULATORS: '0',
        ADMIN_EMAIL: email,
        ADMIN_PASSWORD: password,
      };
      // All three start at once on the empty database: migrations and the first account once.
      dataDirs = await Promise.all(
        ['a', 'b', 'worker'].map((name) => mkdtemp(join(tmpdir(), `switchboard-multi-${name}-`))),
      );
      const [dirA, dirB, dirWorker] = dataDirs as [string, string, string];
      [a, b, worker] = await Promise.all([
        startInstance('A', 'serve', { ...env, DATA_DIR: dirA }),
        startInstance('B', 'serve', { ...env, DATA_DIR: dirB, CHANNEL_WORKERS: '0' }),
        startInstance('worker', 'worker', { ...env, DATA_DIR: dirWorker }),
      ]);
      fake = await startFakeTwilio({
        accountSid: `AC${randomBytes(16).toString('hex')}`,
        authToken: randomBytes(16).toString('hex'),
      });
    }, 120_000);

    afterAll(async () => {
      await fake?.close();
      await Promise.all([a?.stop(), b?.stop(), worker?.stop()]);
      await database?.drop();
      await s3?.close();
      for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
    });

    it('started together on an empty database with one account', async () => {
      expect(await count('select count(*) as n from accounts')).toBe(1);
      for (const instance of [a, b]) {
        const ready = (await (await fetch(`${instance.url}/readyz`)).json()) as {
          engines: { realtime: { kind: string; ok: boolean } };
        };
        expect(ready.engines.realtime).toEqual({ kind: 'redis', ok: true });
      }
    });

    it('accepts a session signed in on A at B', async () => {
      agentA = await signIn(a, email, password);
      agentB = onInstance(b, agentA);
      const me = await agentB.request<{ agent: { email: string } }>('GET', '/api/me');
      expect(me.status).toBe(200);
      expect(me.body.agent.email).toBe(email);
      const created = await agentB.request<Channel>('POST', '/api/channels', {
        kind: 'sms',
        name: 'Multi line',
        config: {
          accountSid: fake.accountSid,
          authToken: fake.authToken,
          from: number,
          apiBaseUrl: fake.baseUrl,
        },
      });
      expect(created.status).toBe(201);
      channel = created.body;
    });

    it('counts sign-in attempts against one limit on both instances', async () => {
      const guessed = `guess-${randomBytes(4).toString('hex')}@multi.test`;
      const attempt = (instance: Instance) =>
        fetch(`${instance.url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: guessed, password: 'not the password' }),
        }).then((response) => response.status);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push(await attempt(i % 2 === 0 ? a : b));
      expect(statuses).toEqual(Array.from({ length: 10 }, () => 401));
      expect(await attempt(a)).toBe(429);
      expect(await attempt(b)).toBe(429);
    });

    it('serves from A a file uploaded to B, with the thumbnail the worker made', async () => {
      const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3a7' } })
        .jpeg()
        .toBuffer();
      const uploaded = await agentB.upload<{ attachments: Attachment[] }>([
        { name: 'photo.jpg', bytes: photo, type: 'image/jpeg' },
      ]);
      expect(uploaded.status).toBe(201);
      const id = uploaded.body.attachments[0]?.id as string;
      const content = await agentA.request('GET', `/api/attachments/${id}/content`);
      expect(content.status).toBe(200);
      expect(Buffer.compare(content.raw, photo)).toBe(0);
      let thumbnail = 0;
      for (let i = 0; i < 300 && thumbnail !== 200; i++) {
        thumbnail = (await agentA.request('GET', `/api/attachments/${id}/thumbnail`)).status;
        if (thumbnail !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(thumbnail).toBe(200);
    });

    it('brings webhooks received by A to an agent socket on B, each once, and resumes on A', async () => {
      const socket: AgentSocket = await openAgentSocket(b.url, agentB);
      const customers = ['+12025550161', '+12025550162', '+12025550163', '+12025550164'];
      const texts = Array.from({ length: PER_BURST }, (_, i) => `burst ${i}`);
      const delivered = await Promise.all(
        texts.map((body, i) =>
          fake.sendInbound({
            webhookUrl: webhook(a),
            from: customers[i % customers.length] as string,
            to: number,
            body,
          }),
        ),
      );
      expect(delivered.map((result) => result.response.status)).toEqual(texts.map(() => 200));
      // Twilio redelivers some to the other instance: stored and announced once all the same.
      const again = await Promise.all(
        delivered.slice(0, 5).map((result, i) =>
          fake.sendInbound({
            webhookUrl: webhook(b),
            from: customers[i % customers.length] as string,
            to: number,
            body: texts[i] as string,
            messageSid: result.messageSid,
          }),
        ),
      );
      expect(again.map((result) => result.response.status)).toEqual([200, 200, 200, 200, 200]);

      // A last message through A: Redis keeps one publisher's order, so when it is in, all are.
      await fake.sendInbound({
        webhookUrl: webhook(a),
        from: customers[0] as string,
        to: number,
        body: 'barrier',
      });
      await socket.until((frames) => createdTexts(frames).includes('barrier'), 'the barrier message on B');
      expect(createdTexts(socket.frames).sort()).toEqual([...texts, 'barrier'].sort());
      const ids = socket.frames.flatMap((frame) => (frame.id === undefined ? [] : [frame.id]));
      expect(new Set(ids).size).toBe(ids.length);
      expect(await count(`select count(*) as n from messages where direction = 'inbound'`)).toBe(
        PER_BURST + 1,
      );
      expect(await count(`select count(*) as n from events where type = 'message.created'`)).toBe(
        PER_BURST + 1,
      );

      // A photo by MMS: A stores the message, the worker fetches the media, B's socket hears it.
      const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#a37' } })
        .jpeg()
        .toBuffer();
      await fake.sendInbound({
        webhookUrl: webhook(a),
        from: customers[1] as string,
        to: number,
        body: 'with photo',
        media: [{ bytes: photo, contentType: 'image/jpeg' }],
      });
      await socket.until(
        (frames) => frames.some((frame) => frame.type === 'attachment.ready'),
        'the attachment made ready by the worker',
      );

      // The agent's socket drops; meanwhile B receives more; the agent resumes on A.
      const last = Math.max(...socket.frames.flatMap((frame) => (frame.id === undefined ? [] : [frame.id])));
      await socket.close();
      const later = ['later 1', 'later 2', 'later 3'];
      for (const body of later)
        await fake.sendInbound({ webhookUrl: webhook(b), from: customers[2] as string, to: number, body });
      const resumed = await openAgentSocket(a.url, agentA, last);
      await resumed.until(
        (frames) => createdTexts(frames).length === later.length,
        'the missed messages on A',
      );
      expect(createdTexts(resumed.frames)).toEqual(later);
      expect(resumed.frames.every((frame) => frame.id === undefined || frame.id > last)).toBe(true);
      await resumed.close();
    });

    it('finishes, once, a media job whose worker was killed in the middle of it', async () => {
      // A photo heavy enough that its derivatives take a while: the worker is killed while the
      // job is marked running, and a worker started afterwards takes it over.
      const width = 6000;
      const height = 4000;
      const noise = Buffer.alloc(width * height * 3);
      for (let i = 0; i < noise.length; i += 4096)
        noise.fill((i * 7919) % 251, i, Math.min(i + 4096, noise.length));
      const photo = await sharp(noise, { raw: { width, height, channels: 3 } })
        .jpeg({ quality: 95 })
        .toBuffer();
      const uploaded = await agentA.upload<{ attachments: Attachment[] }>([
        { name: 'heavy.jpg', bytes: photo, type: 'image/jpeg' },
      ]);
      expect(uploaded.status).toBe(201);
      const id = uploaded.body.attachments[0]?.id as string;
      const jobState = () =>
        withAdmin(database.url, async (client) => {
          const { rows } = await client.query<{ state: string; attempts: number }>(
            `select state, attempts from jobs where name = 'media.derive' and payload like $1`,
            [`%${id}%`],
          );
          return rows[0] ?? null;
        });
      let seen: { state: string; attempts: number } | null = null;
      for (let i = 0; i < 1500 && seen?.state !== 'running'; i++) {
        seen = await jobState();
        if (seen?.state === 'done') break;
        if (seen?.state !== 'running') await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(seen?.state, 'the derive job was caught running').toBe('running');
      worker.child.kill('SIGKILL');
      await new Promise<void>((resolve) => worker.child.once('exit', () => resolve()));
      expect((await jobState())?.state).toBe('running');

      worker = await startInstance('worker 2', 'worker', { ...env, DATA_DIR: dataDirs[2] as string });
      let finished = await jobState();
      for (let i = 0; i < 900 && finished?.state !== 'done'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        finished = await jobState();
      }
      expect(finished?.state).toBe('done');
      expect(finished?.attempts).toBeGreaterThanOrEqual(2);
      const thumbnails = await count(
        `select count(*) as n from derivatives where attachment_id = '${id}' and kind = 'thumbnail'`,
      );
      expect(thumbnails).toBe(1);
      const thumbnail = await agentB.request('GET', `/api/attachments/${id}/thumbnail`);
      expect(thumbnail.status).toBe(200);
    }, 180_000);
  },
);
