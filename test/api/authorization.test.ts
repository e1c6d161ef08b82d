// Every route, called as nobody, as an agent of another account and as the owner: who gets what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel, Message, Ticket } from '../../src/shared/api-schemas.js';
import { anonymous, signIn, type Client } from '../support/client.js';
import { buildChannel, deliver, startMediaHost, type MediaHost } from '../support/channel.js';
import { buildAccount, buildAgent, createHarness, type Harness } from '../support/harness.js';
import { jpeg } from '../support/images.js';
import { createTestAdapter } from '../support/test-adapter.js';

let h: Harness;
let owner: Client;
let stranger: Client;
let strangerAgent: Client;
let ids: Record<string, string>;
let media: MediaHost;

interface Call {
  method: string;
  /** With placeholders (:ticket, :message, …) filled from the owner's ids. */
  path: string;
  body?: () => unknown;
  upload?: boolean;
  /** Status the owner gets. */
  owner: number;
  /** Status an admin of another account gets: 404 for anything addressed by id. */
  stranger: number;
  /** For list routes: the stranger's answer must not contain the owner's ids. */
  leaks?: (body: unknown) => boolean;
}

beforeAll(async () => {
  h = await createHarness({ adapters: [createTestAdapter('sms').adapter] });
  media = await startMediaHost();
  const a = await buildAccount(h, 'Owner');
  const b = await buildAccount(h, 'Stranger');
  owner = await signIn(h, a.admin.email, a.admin.password);
  stranger = await signIn(h, b.admin.email, b.admin.password);
  const plain = await buildAgent(h, b);
  strangerAgent = await signIn(h, plain.email, plain.password);
  const channel: Channel = await buildChannel(owner);
  media.files.set('/p.jpg', { bytes: await jpeg(120, 90), type: 'image/jpeg' });
  await deliver(h, channel, [
    {
      id: 'az-1',
      from: '+15557000',
      text: 'private',
      media: [{ url: `${media.url}/p.jpg`, type: 'image/jpeg' }],
    },
  ]);
  await h.deps.queue.idle();
  const ticket = (await owner.request<{ tickets: Ticket[] }>('GET', '/api/tickets')).body.tickets[0]!;
  const message = (await owner.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`))
    .body.messages[0]!;
  const upload = (
    await owner.upload<{ attachments: Attachment[] }>([{ name: 'mine.jpg', bytes: await jpeg(50, 50) }])
  ).body.attachments[0]!;
  const text = (
    await owner.upload<{ attachments: Attachment[] }>([{ name: 'notes.txt', bytes: Buffer.from('n') }])
  ).body.attachments[0]!;
  const draft = (
    await owner.upload<{ attachments: Attachment[] }>([{ name: 'draft.jpg', bytes: await jpeg(40, 40) }])
  ).body.attachments[0]!;
  const agent = await buildAgent(h, a);
  const token = (await owner.request<{ id: string }>('POST', '/api/tokens', { name: 'integration' })).body;
  await h.deps.queue.idle();
  ids = {
    channel: channel.id,
    ticket: ticket.id,
    message: message.id,
    inboundAttachment: message.attachments[0]!.id,
    upload: upload.id,
    text: text.id,
    draft: draft.id,
    contact: ticket.contact.id,
    agent: agent.id,
    token: token.id,
  };
});
afterAll(async () => {
  await media.close();
  await h.close();
});

const contains = (id: () => string) => (body: unknown) => JSON.stringify(body).includes(id());

const calls: Call[] = [
  { method: 'GET', path: '/api/me', owner: 200, stranger: 200 },
  { method: 'PATCH', path: '/api/me', body: () => ({ locale: 'pt-BR' }), owner: 200, stranger: 200 },
  { method: 'GET', path: '/api/agents', owner: 200, stranger: 200, leaks: contains(() => ids.agent!) },
  {
    method: 'POST',
    path: '/api/agents',
    body: () => ({ email: `n${Date.now()}${Math.random()}@x.test`, name: 'N', password: 'long password 1' }),
    owner: 201,
    stranger: 201,
  },
  {
    method: 'PATCH',
    path: '/api/agents/:agent',
    body: () => ({ name: 'Renamed' }),
    owner: 200,
    stranger: 404,
  },
  { method: 'POST', path: '/api/tokens', body: () => ({ name: 't' }), owner: 201, stranger: 201 },
  { method: 'GET', path: '/api/tokens', owner: 200, stranger: 200, leaks: contains(() => ids.token!) },
  { method: 'DELETE', path: '/api/tokens/:token', owner: 204, stranger: 404 },
  { method: 'GET', path: '/api/audit-log', owner: 200, stranger: 200, leaks: contains(() => ids.token!) },
  { method: 'GET', path: '/api/channels', owner: 200, stranger: 200, leaks: contains(() => ids.channel!) },
  {
    method: 'POST',
    path: '/api/channels',
    body: () => ({ kind: 'sms', name: 'n', config: { secret: 'abcdefghij' } }),
    owner: 201,
    stranger: 201,
  },
  {
    method: 'PATCH',
    path: '/api/channels/:channel',
    body: () => ({ name: 'Main line' }),
    owner: 200,
    stranger: 404,
  },
  { method: 'GET', path: '/api/tickets', owner: 200, stranger: 200, leaks: contains(() => ids.ticket!) },
  { method: 'GET', path: '/api/tickets/:ticket', owner: 200, stranger: 404 },
  {
    method: 'PATCH',
    path: '/api/tickets/:ticket',
    body: () => ({ status: 'pending' }),
    owner: 200,
    stranger: 404,
  },
  { method: 'GET', path: '/api/tickets/:ticket/messages', owner: 200, stranger: 404 },
  {
    method: 'POST',
    path: '/api/tickets/:ticket/messages',
    body: () => ({ text: 'note', note: true }),
    owner: 201,
    stranger: 404,
  },
  { method: 'POST', path: '/api/messages/:message/retry', owner: 409, stranger: 404 },
  { method: 'POST', path: '/api/uploads', upload: true, owner: 201, stranger: 201 },
  { method: 'GET', path: '/api/attachments/:inboundAttachment/content', owner: 200, stranger: 404 },
  { method: 'HEAD', path: '/api/attachments/:inboundAttachment/content', owner: 200, stranger: 404 },
  { method: 'GET', path: '/api/attachments/:inboundAttachment/thumbnail', owner: 200, stranger: 404 },
  { method: 'HEAD', path: '/api/attachments/:inboundAttachment/thumbnail', owner: 200, stranger: 404 },
  { method: 'GET', path: '/api/attachments/:upload/content', owner: 200, stranger: 404 },
  // The inbound image is small, so it has a thumbnail and no preview: the owner hears why.
  { method: 'GET', path: '/api/attachments/:inboundAttachment/preview', owner: 404, stranger: 404 },
  { method: 'HEAD', path: '/api/attachments/:inboundAttachment/preview', owner: 404, stranger: 404 },
  { method: 'POST', path: '/api/attachments/:inboundAttachment/retry', owner: 409, stranger: 404 },
  // A text file cannot be scanned: the owner hears why (an image would be scanned in a job).
  { method: 'POST', path: '/api/attachments/:text/pii-scan', owner: 415, stranger: 404 },
  {
    method: 'POST',
    path: '/api/attachments/:upload/redact',
    body: () => ({ boxes: [{ x: 0, y: 0, width: 10, height: 10 }] }),
    owner: 201,
    stranger: 404,
  },
  { method: 'DELETE', path: '/api/attachments/:draft', owner: 204, stranger: 404 },
  { method: 'GET', path: '/api/contacts', owner: 200, stranger: 200, leaks: contains(() => ids.contact!) },
  { method: 'GET', path: '/api/contacts/:contact', owner: 200, stranger: 404 },
];

const resolve = (path: string): string => path.replace(/:(\w+)/g, (_, key: string) => ids[key] ?? `:${key}`);

async function call(client: Client, spec: Call) {
  if (spec.upload) return client.upload([{ name: 'x.txt', bytes: Buffer.from('x') }]);
  return client.request(spec.method, resolve(spec.path), spec.body?.());
}

describe('authorization', () => {
  it('covers every agent route of the API', () => {
    const agentRoutes = h.app.routeTable.filter(
      (route) => route.auth !== 'public' && route.url !== '/api/ws',
    );
    const covered = new Set(calls.map((c) => `${c.method} ${c.path.replace(/:\w+/g, ':id')}`));
    // HEAD is answered by every GET route; the calls above try it where bytes are served.
    const declared = agentRoutes.filter(
      (route) => route.method !== 'HEAD' || route.url.startsWith('/api/attachments'),
    );
    const missing = declared
      .map((route) => `${route.method} ${route.url}`)
      .filter(
        (route) =>
          !covered.has(route) && !['DELETE /api/session', 'DELETE /api/channels/:id'].includes(route),
      );
    expect(missing).toEqual([]);
  });

  it.each(calls)('$method $path: anonymous gets 401', async (spec) => {
    const response = await call(anonymous(h), spec);
    expect(response.status).toBe(401);
  });

  it.each(calls)("$method $path: another account's admin gets only their own", async (spec) => {
    const response = await call(stranger, spec);
    expect(response.status).toBe(spec.stranger);
    if (spec.leaks) expect(spec.leaks(response.body)).toBe(false);
  });

  it.each(calls)('$method $path: the owner gets it', async (spec) => {
    const response = await call(owner, spec);
    expect(response.status).toBe(spec.owner);
    if (spec.leaks) expect(spec.leaks(response.body)).toBe(true);
  });

  it('keeps admin routes from plain agents', async () => {
    expect((await strangerAgent.request('PATCH', `/api/agents/${ids.agent}`, { name: 'x' })).status).toBe(
      403,
    );
    expect((await strangerAgent.request('DELETE', `/api/channels/${ids.channel}`)).status).toBe(403);
  });

  it('refuses to send another account’s upload or assign another account’s agent', async () => {
    const theirTicket = await stranger.request('GET', '/api/tickets');
    expect(theirTicket.status).toBe(200);
    const sendForeign = await owner.request('POST', `/api/tickets/${ids.ticket}/messages`, {
      attachmentIds: [ids.upload],
    });
    expect([201, 409]).toContain(sendForeign.status);
    const strangerUpload = (
      await stranger.upload<{ attachments: Attachment[] }>([{ name: 's.txt', bytes: Buffer.from('s') }])
    ).body.attachments[0]!;
    const crossSend = await owner.request('POST', `/api/tickets/${ids.ticket}/messages`, {
      attachmentIds: [strangerUpload.id],
    });
    expect(crossSend.status).toBe(400);
    const strangerMe = (await stranger.request<{ agent: { id: string } }>('GET', '/api/me')).body.agent.id;
    const crossAssign = await owner.request('PATCH', `/api/tickets/${ids.ticket}`, {
      assigneeId: strangerMe,
    });
    expect(crossAssign.status).toBe(400);
    expect(crossAssign.body).toMatchObject({ error: { details: { field: 'assigneeId' } } });
  });

  it('lets a stranger delete nothing of the owner', async () => {
    expect((await stranger.request('DELETE', `/api/channels/${ids.channel}`)).status).toBe(404);
    expect((await owner.request('GET', '/api/channels')).body).toMatchObject({
      channels: expect.arrayContaining([expect.objectContaining({ id: ids.channel })]),
    });
  });
});
