import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Channel } from '../../src/shared/api-schemas.js';
import { signIn, type Client } from '../support/client.js';
import { buildChannel, deliver } from '../support/channel.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { createTestAdapter } from '../support/test-adapter.js';

interface Frame {
  type: string;
  id?: number;
  lastEventId?: number;
  data?: { message?: { text: string; ticketId: string }; ticket?: { id: string } };
}

let h: Harness;
let owner: Client;
let stranger: Client;
let channel: Channel;

beforeAll(async () => {
  h = await createHarness({ adapters: [createTestAdapter('sms').adapter] });
  const a = await buildAccount(h, 'Acme');
  const b = await buildAccount(h, 'Other');
  owner = await signIn(h, a.admin.email, a.admin.password);
  stranger = await signIn(h, b.admin.email, b.admin.password);
  channel = await buildChannel(owner);
});
afterAll(() => h.close());

function connect(
  client: Client,
  since?: number,
): Promise<{ socket: WebSocket; frames: Frame[]; next(predicate: (f: Frame) => boolean): Promise<Frame> }> {
  const frames: Frame[] = [];
  const waiters: Array<{ predicate: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  const socket = new WebSocket(
    `${h.url.replace('http', 'ws')}/api/ws${since !== undefined ? `?since=${since}` : ''}`,
    {
      headers: { cookie: client.cookie!, origin: h.url },
    },
  );
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as Frame;
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  });
  const next = (predicate: (f: Frame) => boolean) =>
    new Promise<Frame>((resolve, reject) => {
      const found = frames.find(predicate);
      if (found) return resolve(found);
      const timer = setTimeout(
        () => reject(new Error(`no matching frame; got ${JSON.stringify(frames.map((f) => f.type))}`)),
        5000,
      );
      waiters.push({ predicate, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, frames, next }));
    socket.once('error', reject);
  });
}

describe('/api/ws', () => {
  it("delivers the account's events live, and nobody else's", async () => {
    const mine = await connect(owner);
    const theirs = await connect(stranger);
    await mine.next((f) => f.type === 'hello');
    await theirs.next((f) => f.type === 'hello');
    await deliver(h, channel, [{ id: 'rt-1', from: '+15559001', text: 'live one' }]);
    const created = await mine.next((f) => f.type === 'message.created');
    expect(created.data?.message?.text).toBe('live one');
    await mine.next((f) => f.type === 'ticket.created');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(theirs.frames.filter((f) => f.type !== 'hello')).toEqual([]);
    mine.socket.close();
    theirs.socket.close();
  });

  it('resumes after the last event id without gaps', async () => {
    const first = await connect(owner);
    const hello = await first.next((f) => f.type === 'hello');
    await deliver(h, channel, [{ id: 'rt-2', from: '+15559002', text: 'before drop' }]);
    const seen = await first.next(
      (f) => f.type === 'message.created' && f.data?.message?.text === 'before drop',
    );
    first.socket.close();
    await deliver(h, channel, [{ id: 'rt-3', from: '+15559002', text: 'while away 1' }]);
    await deliver(h, channel, [{ id: 'rt-4', from: '+15559002', text: 'while away 2' }]);
    const again = await connect(owner, seen.id);
    await again.next((f) => f.data?.message?.text === 'while away 2');
    const texts = again.frames.filter((f) => f.type === 'message.created').map((f) => f.data?.message?.text);
    expect(texts).toEqual(['while away 1', 'while away 2']);
    const ids = again.frames.filter((f) => f.id !== undefined).map((f) => f.id!);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(ids.every((id) => id > seen.id!)).toBe(true);
    expect(hello.lastEventId).toBeLessThan(seen.id!);
    again.socket.close();
  });

  it('tells lists their event position, and replays from one on request', async () => {
    const socket = await connect(owner);
    await socket.next((f) => f.type === 'hello');
    const list = await owner.request('GET', '/api/tickets');
    const position = Number(list.headers.get('x-last-event-id'));
    expect(position).toBeGreaterThan(0);
    await deliver(h, channel, [{ id: 'rt-5', from: '+15559003', text: 'after the list' }]);
    await socket.next((f) => f.data?.message?.text === 'after the list');
    const count = () => socket.frames.filter((f) => f.data?.message?.text === 'after the list').length;
    expect(count()).toBe(1);
    socket.socket.send(JSON.stringify({ type: 'replay', since: position }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(count()).toBe(2);
    socket.socket.send('{"type":"replay","since":"nonsense"}');
    socket.socket.send('not json');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(socket.socket.readyState).toBe(WebSocket.OPEN);
    socket.socket.close();
  });

  it('refuses anonymous sockets and sockets opened from another site', async () => {
    const anonymous = new WebSocket(`${h.url.replace('http', 'ws')}/api/ws`);
    const status = await new Promise<number>((resolve) =>
      anonymous.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(401);
    const foreign = new WebSocket(`${h.url.replace('http', 'ws')}/api/ws`, {
      headers: { cookie: owner.cookie!, origin: 'https://evil.example' },
    });
    const foreignStatus = await new Promise<number>((resolve) =>
      foreign.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(foreignStatus).toBe(403);
  });
});
