// Redis pub/sub between two "processes": delivery across them, one Redis subscription per
// topic however many listeners, unsubscription, and a catch-up signal after a lost connection.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFanOut, type FanOut } from '../../src/server/infra/pubsub/open-pubsub.js';
import { scaleSkipReason } from './scale-support.js';

const redisUrl = process.env.TEST_REDIS_URL;
const log = pino({ level: 'silent' });

const eventually = async (check: () => boolean | Promise<boolean>, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
};

describe.skipIf(!redisUrl)(`Redis pub/sub (${redisUrl ? 'Redis' : scaleSkipReason})`, () => {
  const prefix = `test-${randomBytes(6).toString('hex')}:`;
  let a: FanOut;
  let b: FanOut;

  beforeAll(async () => {
    a = await openFanOut({ url: redisUrl as string }, log, prefix);
    b = await openFanOut({ url: redisUrl as string }, log, prefix);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('delivers a message published on one process to every listener on the other, once', async () => {
    const first: string[] = [];
    const second: string[] = [];
    const stopFirst = await b.pubsub.subscribe('account:1', (m) => first.push(m));
    const stopSecond = await b.pubsub.subscribe('account:1', (m) => second.push(m));
    const other: string[] = [];
    const stopOther = await b.pubsub.subscribe('account:2', (m) => other.push(m));
    await a.pubsub.publish('account:1', 'hello');
    await eventually(() => first.length === 1 && second.length === 1, 'both listeners');
    const channels = (await a.redis?.client.pubsub('CHANNELS', `${prefix}*`)) as string[];
    expect(channels.sort()).toEqual([`${prefix}events:account:1`, `${prefix}events:account:2`]);

    await stopFirst();
    await a.pubsub.publish('account:1', 'again');
    await eventually(() => second.length === 2, 'the remaining listener');
    expect(first).toEqual(['hello']);
    expect(second).toEqual(['hello', 'again']);
    expect(other).toEqual([]);

    await stopSecond();
    await stopOther();
    await eventually(
      async () => ((await a.redis?.client.pubsub('CHANNELS', `${prefix}*`)) as string[]).length === 0,
      'the topics to be unsubscribed',
    );
  });

  it('keeps a topic subscribed when a listener leaves as another arrives', async () => {
    const seen: string[] = [];
    const stop = await b.pubsub.subscribe('account:3', () => undefined);
    const leaving = stop();
    const stopNext = await b.pubsub.subscribe('account:3', (m) => seen.push(m));
    await leaving;
    await a.pubsub.publish('account:3', 'still here');
    await eventually(() => seen.length === 1, 'the new listener');
    await stopNext();
  });

  it('resubscribes after the connection is lost and tells listeners to catch up', async () => {
    const seen: string[] = [];
    let gaps = 0;
    const stop = await b.pubsub.subscribe('account:4', (m) => seen.push(m), { onGap: () => (gaps += 1) });
    const clients = (await a.redis?.client.client('LIST')) as string;
    const subscriber = clients
      .split('\n')
      .filter((line) => line.includes(`name=${prefix}subscriber`) && line.includes('sub=1'));
    expect(subscriber.length).toBeGreaterThan(0);
    for (const line of subscriber) {
      const id = /\bid=(\d+)/.exec(line)?.[1] as string;
      await a.redis?.client.client('KILL', 'ID', id);
    }
    await eventually(() => gaps > 0, 'the catch-up signal');
    await a.pubsub.publish('account:4', 'after');
    await eventually(() => seen.includes('after'), 'a message after the reconnect');
    await stop();
  });

  it('answers a ping on both connections', async () => {
    await expect(a.pubsub.ping()).resolves.toBeUndefined();
    expect(a.pubsub.kind).toBe('redis');
  });
});

describe('an unreachable Redis', () => {
  it('stops start-up with a message naming it', async () => {
    await expect(openFanOut({ url: 'redis://127.0.0.1:1' }, log)).rejects.toThrow(
      /Redis is not reachable at redis:\/\/127\.0\.0\.1:1.*REDIS_URL/,
    );
  });
});
