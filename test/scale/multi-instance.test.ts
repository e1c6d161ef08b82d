// Two web instances and one worker, separate processes on one PostgreSQL database, one Redis
// and one data directory, as the scale profile runs behind a load balancer: a session works on
// either instance, a file uploaded to one is served by the other, a webhook received by one
// reaches an agent's socket on the other, and resuming a socket on the other instance misses
// nothing. Every message is stored and announced exactly once.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel } from '../../src/shared/api-schemas.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio.js';
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
    let dataDir: string;
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
      dataDir = await mkdtemp(join(tmpdir(), 'switchboard-multi-'));
      const env = {
        DATABASE_URL: database.url,
        REDIS_URL: ready.redisUrl,
        DATA_DIR: dataDir,
        SERVE_JOBS: '0',
        SIMULATORS: '0',
        ADMIN_EMAIL: email,
        ADMIN_PASSWORD: password,
      };
      // All three start at once on the empty database: migrations and the first account once.
      [a, b, worker] = await Promise.all([
        startInstance('A', 'serve', env),
        startInstance('B', 'serve', { ...env, CHANNEL_WORKERS: '0' }),
        startInstance('worker', 'worker', env),
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
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
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
  },
);
