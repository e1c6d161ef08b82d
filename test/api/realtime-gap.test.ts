// When the fan-out reports that messages may have been lost (a broker connection dropped and
// came back), each open socket reads what it missed from the event log: every event once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/shared/api-schemas.js';
import type { PubSub } from '../../src/server/infra/pubsub/pubsub.js';
import { signIn, type Client } from '../support/client.js';
import { buildChannel, deliver } from '../support/channel.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { createTestAdapter } from '../support/test-adapter.js';
import { createdTexts, openAgentSocket } from '../scale/agent-socket.js';

let h: Harness;
let agent: Client;
let channel: Channel;
let dropping = false;
const gaps: Array<() => void> = [];

/** The harness's fan-out, with a switch that loses what is published and a way to report it. */
function lossy(real: PubSub): PubSub {
  return {
    kind: real.kind,
    publish: (topic, message) => (dropping ? Promise.resolve() : real.publish(topic, message)),
    subscribe: (topic, listener, options) => {
      if (options?.onGap) gaps.push(options.onGap);
      return real.subscribe(topic, listener, options);
    },
    ping: () => real.ping(),
    close: () => real.close(),
  };
}

beforeAll(async () => {
  h = await createHarness({ adapters: [createTestAdapter('sms').adapter] });
  h.deps.pubsub = lossy(h.deps.pubsub);
  const account = await buildAccount(h);
  agent = await signIn(h, account.admin.email, account.admin.password);
  channel = await buildChannel(agent);
});
afterAll(() => h.close());

describe('a gap in the fan-out', () => {
  it('is filled from the event log, without repeats', async () => {
    const socket = await openAgentSocket(h.url, agent);
    await deliver(h, channel, [{ id: 'gap-1', from: '+15559101', text: 'before' }]);
    await socket.until((frames) => createdTexts(frames).includes('before'), 'the first message');

    dropping = true;
    await deliver(h, channel, [{ id: 'gap-2', from: '+15559101', text: 'lost 1' }]);
    await deliver(h, channel, [{ id: 'gap-3', from: '+15559102', text: 'lost 2' }]);
    dropping = false;
    expect(createdTexts(socket.frames)).toEqual(['before']);

    for (const gap of gaps) gap();
    await socket.until((frames) => createdTexts(frames).length === 3, 'the missed messages');
    await deliver(h, channel, [{ id: 'gap-4', from: '+15559101', text: 'after' }]);
    await socket.until((frames) => createdTexts(frames).includes('after'), 'a live message');
    expect(createdTexts(socket.frames)).toEqual(['before', 'lost 1', 'lost 2', 'after']);
    const ids = socket.frames.flatMap((frame) => (frame.id === undefined ? [] : [frame.id]));
    expect(new Set(ids).size).toBe(ids.length);
    await socket.close();
  });
});
