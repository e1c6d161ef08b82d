// Every route of the full app (real channel adapters, simulators, the widget API, webhooks and
// media links), taken from the app's own route table: nobody gets in without signing in,
// another account's agent finds nothing of this account, and plain agents cannot do what
// only admins may. A new public route fails here until it is reviewed and listed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel, Ticket } from '../../src/shared/api-schemas.js';
import { allAdapters, channelRoutes, starterChannels } from '../../src/server/channels/all-adapters.js';
import type { RouteEntry } from '../../src/server/http/build-app.js';
import { anonymous, signIn, withToken, type ApiResponse, type Client } from '../support/client.js';
import { buildAccount, buildAgent, createHarness, type Harness } from '../support/harness.js';
import { jpeg } from '../support/images.js';
import { waitFor } from '../sms/sms-setup.js';

/** Routes anyone may call; each one checks its own credential (signature, visitor token) or serves nothing private. */
const PUBLIC_ROUTES = [
  'POST /api/session',
  'GET /api/docs',
  'HEAD /api/docs',
  'HEAD /api/docs/',
  'GET /api/docs/static/index.html',
  'HEAD /api/docs/static/index.html',
  'GET /api/docs/static/swagger-initializer.js',
  'HEAD /api/docs/static/swagger-initializer.js',
  'GET /api/docs/json',
  'HEAD /api/docs/json',
  'GET /api/docs/yaml',
  'HEAD /api/docs/yaml',
  'GET /api/docs/static/*',
  'HEAD /api/docs/static/*',
  'GET /media/:attachmentId/:variant/:expires/:signature/:name',
  'HEAD /media/:attachmentId/:variant/:expires/:signature/:name',
  'GET /healthz',
  'HEAD /healthz',
  'GET /readyz',
  'HEAD /readyz',
  'GET /metrics',
  'HEAD /metrics',
  'GET /widget.js',
  'HEAD /widget.js',
  'GET /demo',
  'HEAD /demo',
  'GET /simulator',
  'HEAD /simulator',
  // The simulator page's built scripts and styles (registered when dist/simulator exists).
  'GET /simulator/assets/*',
  'HEAD /simulator/assets/*',
  'GET /webhooks/:kind/:channelId',
  'HEAD /webhooks/:kind/:channelId',
  'POST /webhooks/:kind/:channelId',
  'GET /webhooks/:kind/:channelId/*',
  'HEAD /webhooks/:kind/:channelId/*',
  'POST /webhooks/:kind/:channelId/*',
  'POST /webhooks/email/:channelId',
  'OPTIONS /api/widget/:channelId/*',
  'GET /api/widget/:channelId/config',
  'HEAD /api/widget/:channelId/config',
  'POST /api/widget/:channelId/visitors',
  'GET /api/widget/:channelId/visitor',
  'HEAD /api/widget/:channelId/visitor',
  'PATCH /api/widget/:channelId/visitor',
  'GET /api/widget/:channelId/messages',
  'HEAD /api/widget/:channelId/messages',
  'POST /api/widget/:channelId/messages',
  'POST /api/widget/:channelId/uploads',
  'GET /api/widget/:channelId/attachments/:id',
  'HEAD /api/widget/:channelId/attachments/:id',
  'POST /api/widget/:channelId/read',
  'GET /api/widget/:channelId/ws',
  'HEAD /api/widget/:channelId/ws',
];

let h: Harness;
let owner: Client;
let ownerAgent: Client;
let ownerAgentToken: Client;
let stranger: Client;
let strangerToken: Client;
let ids: Record<string, string>;
const simulated: Record<string, Channel> = {};
const PHONE = '+12025550142';

const key = (route: RouteEntry): string => `${route.method} ${route.url}`;

async function tokenFor(client: Client): Promise<Client> {
  const created = await client.request<{ token: string }>('POST', '/api/tokens', { name: 'integration' });
  if (created.status !== 201) throw new Error(`token: ${created.status}`);
  return withToken(h, created.body.token);
}

beforeAll(async () => {
  h = await createHarness({ adapters: allAdapters(), extraRoutes: channelRoutes });
  const a = await buildAccount(h, 'Owner');
  const b = await buildAccount(h, 'Stranger');
  for (const starter of starterChannels) await starter(h.deps, a.accountId);
  owner = await signIn(h, a.admin.email, a.admin.password);
  const plain = await buildAgent(h, a);
  ownerAgent = await signIn(h, plain.email, plain.password);
  ownerAgentToken = await tokenFor(ownerAgent);
  stranger = await signIn(h, b.admin.email, b.admin.password);
  strangerToken = await tokenFor(stranger);

  const channels = (await owner.request<{ channels: Channel[] }>('GET', '/api/channels')).body.channels;
  for (const channel of channels) simulated[channel.kind] = channel;
  const form = new FormData();
  form.append('body', 'private question');
  const texted = await sendForm(
    owner,
    'POST',
    `/api/simulator/sms/${simulated.sms!.id}/customers/${encodeURIComponent(PHONE)}/messages`,
    form,
  );
  if (texted.status !== 201)
    throw new Error(`simulated text: ${texted.status} ${JSON.stringify(texted.body)}`);
  const ticket = await waitFor(async () => {
    const list = await owner.request<{ tickets: Ticket[] }>(
      'GET',
      `/api/tickets?channelId=${simulated.sms!.id}`,
    );
    return list.body.tickets[0];
  }, 'the simulated ticket');
  const message = (
    await owner.request<{ messages: Array<{ id: string }> }>('GET', `/api/tickets/${ticket.id}/messages`)
  ).body.messages[0]!;
  const upload = (
    await owner.upload<{ attachments: Attachment[] }>([{ name: 'mine.jpg', bytes: await jpeg(60, 40) }])
  ).body.attachments[0]!;
  const token = (await owner.request<{ id: string }>('POST', '/api/tokens', { name: 'integration' })).body;
  ids = {
    tokens: token.id,
    tickets: ticket.id,
    messages: message.id,
    attachments: upload.id,
    contacts: ticket.contact.id,
    agents: plain.id,
    channels: simulated.sms!.id,
  };
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const routes = (): RouteEntry[] => h.app.routeTable;
const guarded = (): RouteEntry[] => routes().filter((route) => route.auth !== 'public');

const placeholders: Record<string, string> = {
  phone: encodeURIComponent(PHONE),
  waId: '15550001111',
  igsid: '17841400000000001',
  address: 'customer@example.com',
  messageId: 'no-such-message',
  index: '0',
};

/** The route's URL with the owner's ids in its placeholders. */
function fill(url: string): string {
  const segments = url.split('/');
  return url.replace(/:(\w+)/g, (_, name: string) => {
    if (name === 'id') return ids[segments[2] ?? ''] ?? 'unknown';
    if (name === 'channelId') return simulated[segments[3] ?? '']?.id ?? 'unknown';
    return placeholders[name] ?? 'unknown';
  });
}

const jsonBodies: Record<string, () => unknown> = {
  'PATCH /api/me': () => ({ locale: 'en' }),
  'POST /api/attachments/:id/redact': () => ({ boxes: [{ x: 0, y: 0, width: 4, height: 4 }] }),
  'POST /api/agents': () => ({
    email: `n${Date.now()}${Math.random().toString(36).slice(2)}@x.test`,
    name: 'N',
    password: 'long password 1',
  }),
  'PATCH /api/agents/:id': () => ({ name: 'Renamed' }),
  'POST /api/tokens': () => ({ name: 't' }),
  'POST /api/channels': () => ({
    kind: 'webchat',
    name: 'Another chat',
    config: { allowedOrigins: ['https://shop.example'] },
  }),
  'PATCH /api/channels/:id': () => ({ name: 'Renamed line' }),
  'PATCH /api/tickets/:id': () => ({ status: 'solved' }),
  'POST /api/tickets/:id/messages': () => ({ text: 'note', note: true }),
  'POST /api/simulator/sms/:channelId/customers': () => ({}),
  'POST /api/simulator/whatsapp/:channelId/customers': () => ({}),
  'POST /api/simulator/instagram/:channelId/customers': () => ({}),
  'POST /api/simulator/email/:channelId/customers': () => ({}),
  'POST /api/simulator/whatsapp/:channelId/customers/:waId/window': () => ({ state: 'closed' }),
  'POST /api/simulator/instagram/:channelId/customers/:igsid/window': () => ({ state: 'closed' }),
};

function multipart(route: RouteEntry): FormData | undefined {
  const form = new FormData();
  if (key(route) === 'POST /api/uploads') {
    form.append('file', new Blob([new Uint8Array(Buffer.from('x'))]), 'x.txt');
    return form;
  }
  if (
    route.method === 'POST' &&
    /^\/api\/simulator\/\w+\/:channelId\/customers\/:\w+\/messages$/.test(route.url)
  ) {
    for (const field of ['body', 'text', 'subject']) form.append(field, 'sneaky');
    return form;
  }
  return undefined;
}

/** A multipart request with the client's credentials (the client itself sends JSON). */
async function sendForm(client: Client, method: string, path: string, form: FormData): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (client.cookie) headers.cookie = client.cookie;
  if (client.csrf) headers['x-csrf-token'] = client.csrf;
  if (client.token) headers.authorization = `Bearer ${client.token}`;
  const response = await fetch(`${h.url}${path}`, { method, headers, body: form });
  const raw = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body: raw.toString('utf8'), raw };
}

function call(client: Client, route: RouteEntry): Promise<ApiResponse> {
  const form = multipart(route);
  if (form) return sendForm(client, route.method, fill(route.url), form);
  return client.request(route.method, fill(route.url), jsonBodies[key(route)]?.());
}

describe('the route table', () => {
  it('has the channel routes: simulators, the widget API, webhooks and media links', () => {
    const urls = routes().map((route) => route.url);
    expect(urls.filter((url) => url.startsWith('/api/simulator/')).length).toBeGreaterThanOrEqual(21);
    expect(urls.filter((url) => url.startsWith('/api/widget/')).length).toBeGreaterThanOrEqual(10);
    expect(urls).toContain('/webhooks/email/:channelId');
    expect(urls).toContain('/media/:attachmentId/:variant/:expires/:signature/:name');
  });

  it('declares public only the reviewed routes', () => {
    const open = routes()
      .filter((route) => route.auth === 'public')
      .map(key);
    expect(open.filter((route) => !PUBLIC_ROUTES.includes(route))).toEqual([]);
  });

  it('answers anonymous callers of every other route with 401', async () => {
    const answers: string[] = [];
    for (const route of guarded()) {
      const response = await call(anonymous(h), route);
      if (response.status !== 401) answers.push(`${key(route)} → ${response.status}`);
    }
    expect(answers).toEqual([]);
  });

  it('refuses a revoked or made-up API token on every guarded route', async () => {
    const forged = withToken(h, 'not-a-real-token');
    const answers: string[] = [];
    for (const route of guarded()) {
      const response = await call(forged, route);
      if (response.status !== 401) answers.push(`${key(route)} → ${response.status}`);
    }
    expect(answers).toEqual([]);
  });
});

describe('cookie sessions', () => {
  it('refuse every write without the CSRF header (403), before anything is done', async () => {
    const writes = guarded().filter((route) => !['GET', 'HEAD', 'OPTIONS'].includes(route.method));
    expect(writes.length).toBeGreaterThanOrEqual(25);
    const answers: string[] = [];
    for (const route of writes) {
      const form = multipart(route);
      const json = jsonBodies[key(route)]?.();
      const response = await fetch(`${h.url}${fill(route.url)}`, {
        method: route.method,
        headers: {
          cookie: owner.cookie ?? '',
          ...(form || json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(form ? { body: form } : json === undefined ? {} : { body: JSON.stringify(json) }),
      });
      const body = (await response.json()) as { error?: { code?: string } };
      if (response.status !== 403 || body.error?.code !== 'csrf_failed')
        answers.push(`${key(route)} → ${response.status} ${body.error?.code ?? ''}`);
    }
    expect(answers).toEqual([]);
  });
});

describe("another account's agent", () => {
  // The WebSocket carries only the caller's own account's events (test/api/realtime.test.ts);
  // signing out acts on the caller's own session.
  const skipped = new Set(['GET /api/ws', 'HEAD /api/ws', 'DELETE /api/session']);

  it.each([
    ['a session cookie', () => stranger],
    ['an API token', () => strangerToken],
  ])("with %s finds none of this account's ids (404)", async (_via, who) => {
    const answers: string[] = [];
    const addressed = guarded().filter((route) => route.url.includes(':') && !skipped.has(key(route)));
    expect(addressed.length).toBeGreaterThanOrEqual(45);
    for (const route of addressed) {
      const response = await call(who(), route);
      if (response.status !== 404) answers.push(`${key(route)} → ${response.status}`);
    }
    expect(answers).toEqual([]);
  });

  it.each([
    ['a session cookie', () => stranger],
    ['an API token', () => strangerToken],
  ])('with %s sees only their own account on the routes without ids', async (_via, who) => {
    const answers: string[] = [];
    const mine = (): string[] => [...Object.values(ids), ...Object.values(simulated).map((c) => c.id)];
    for (const route of guarded().filter((r) => !r.url.includes(':') && !skipped.has(key(r)))) {
      const response = await call(who(), route);
      if (response.status >= 300) answers.push(`${key(route)} → ${response.status}`);
      const leaked = mine().filter((id) => response.raw.toString('utf8').includes(id));
      if (leaked.length) answers.push(`${key(route)} leaks ${leaked.join(', ')}`);
    }
    expect(answers).toEqual([]);
  });

  it("changed nothing of this account's", async () => {
    const ticket = await owner.request<Ticket>('GET', `/api/tickets/${ids.tickets}`);
    expect(ticket.body.status).toBe('open');
    const channels = (await owner.request<{ channels: Channel[] }>('GET', '/api/channels')).body.channels;
    expect(channels.find((c) => c.id === ids.channels)?.name).toBe(simulated.sms!.name);
    const agents = await owner.request<{ agents: Array<{ id: string; name: string }> }>('GET', '/api/agents');
    expect(agents.body.agents.find((agent) => agent.id === ids.agents)?.name).not.toBe('Renamed');
  });
});

describe('admin-only routes', () => {
  it.each([
    ['a session cookie', () => ownerAgent],
    ['an API token', () => ownerAgentToken],
  ])('refuse a plain agent of the same account with %s (403)', async (_via, who) => {
    const admin = routes().filter((route) => route.auth === 'admin');
    expect(admin.map(key).sort()).toEqual([
      'DELETE /api/channels/:id',
      'GET /api/audit-log',
      'HEAD /api/audit-log',
      'PATCH /api/agents/:id',
      'PATCH /api/channels/:id',
      'POST /api/agents',
      'POST /api/channels',
    ]);
    const answers: string[] = [];
    for (const route of admin) {
      const response = await call(who(), route);
      if (response.status !== 403) answers.push(`${key(route)} → ${response.status}`);
    }
    expect(answers).toEqual([]);
  });
});

describe("the owner's own calls", () => {
  it('find what the stranger could not: every id the routes above were given is real', async () => {
    const answers: string[] = [];
    const reads = guarded().filter(
      (route) =>
        route.method === 'GET' &&
        route.url.includes(':') &&
        !/:messageId|\/preview$|\/api\/ws$/.test(route.url),
    );
    for (const route of reads) {
      const response = await call(owner, route);
      if (response.status !== 200) answers.push(`${key(route)} → ${response.status}`);
    }
    expect(answers).toEqual([]);
  });

  it('reach every simulator page of the account', async () => {
    const pages = guarded().filter(
      (route) => route.method === 'GET' && /^\/api\/simulator\/\w+\/:channelId$/.test(route.url),
    );
    expect(pages).toHaveLength(4);
    for (const route of pages) expect((await call(owner, route)).status, key(route)).toBe(200);
  });
});
