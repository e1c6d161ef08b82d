// The public routes guard themselves: provider webhooks by their signature (an unsigned or
// wrongly signed delivery is refused and stores nothing), the widget API by the visitor's
// token (one visitor never reads another's conversation or files), and media links by
// their signature (edited, expired or moved to another file, they serve nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Attachment, Channel } from '../../src/shared/api-schemas.js';
import { allAdapters, channelRoutes, starterChannels } from '../../src/server/channels/all-adapters.js';
import type { ChannelRecord } from '../../src/server/channels/adapter.js';
import { computeHubSignature } from '../../src/server/channels/meta/hub-signature.js';
import { computeTwilioSignature } from '../../src/server/channels/twilio/twilio-signature.js';
import { toChannelRecord } from '../../src/server/domain/channels.js';
import { signedMediaPath } from '../../src/server/media/signed-url.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { jpeg } from '../support/images.js';
import { createWebchatChannel, visitorClient, type VisitorClient } from '../webchat/support.js';

let h: Harness;
let owner: Client;
const simulated: Record<string, ChannelRecord> = {};

beforeAll(async () => {
  h = await createHarness({ adapters: allAdapters(), extraRoutes: channelRoutes });
  const a = await buildAccount(h, 'Owner');
  for (const starter of starterChannels) await starter(h.deps, a.accountId);
  owner = await signIn(h, a.admin.email, a.admin.password);
  const rows = await h.deps.db
    .selectFrom('channels')
    .selectAll()
    .where('accountId', '=', a.accountId)
    .execute();
  for (const row of rows) simulated[row.kind] = toChannelRecord(row);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const STORED = ['messages', 'tickets', 'contacts', 'contact_identities', 'attachments', 'blobs'] as const;

/** How many rows an inbound delivery could have written. */
async function stored(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of STORED) {
    const result = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
      h.deps.db,
    );
    counts[table] = Number(result.rows[0]?.n);
  }
  return counts;
}

const config = (kind: string): Record<string, string> => simulated[kind]!.config as Record<string, string>;
const hookUrl = (kind: string, suffix = ''): string =>
  `${h.url}/webhooks/${kind}/${simulated[kind]!.id}${suffix}`;

interface Delivery {
  body: Buffer;
  headers: Record<string, string>;
}

function post(url: string, delivery: Delivery): Promise<Response> {
  return fetch(url, { method: 'POST', headers: delivery.headers, body: new Uint8Array(delivery.body) });
}

let sequence = 0;
const nextId = (): string => `${Date.now()}${++sequence}`;

function smsDelivery(url: string, authToken: string | null): Delivery {
  const form = new URLSearchParams({
    AccountSid: config('sms').accountSid!,
    MessageSid: `SM${nextId().padStart(32, '0')}`,
    From: '+12025550177',
    To: config('sms').from ?? '+12025550100',
    Body: 'hello from a stranger',
    NumMedia: '0',
  });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (authToken) headers['x-twilio-signature'] = computeTwilioSignature(url, [...form.entries()], authToken);
  return { body: Buffer.from(form.toString()), headers };
}

function metaDelivery(kind: 'whatsapp' | 'instagram', appSecret: string | null): Delivery {
  const envelope =
    kind === 'whatsapp'
      ? {
          object: 'whatsapp_business_account',
          entry: [
            {
              id: '100000000000001',
              changes: [
                {
                  field: 'messages',
                  value: {
                    messaging_product: 'whatsapp',
                    metadata: {
                      display_phone_number: '15550009999',
                      phone_number_id: config('whatsapp').phoneNumberId,
                    },
                    contacts: [{ profile: { name: 'Eve' }, wa_id: '15550004444' }],
                    messages: [
                      {
                        from: '15550004444',
                        id: `wamid.${nextId()}`,
                        timestamp: String(Math.floor(Date.now() / 1000)),
                        type: 'text',
                        text: { body: 'hello from a stranger' },
                      },
                    ],
                  },
                },
              ],
            },
          ],
        }
      : {
          object: 'instagram',
          entry: [
            {
              id: config('instagram').accountId,
              time: Date.now(),
              messaging: [
                {
                  sender: { id: `9${nextId()}` },
                  recipient: { id: config('instagram').accountId },
                  timestamp: Date.now(),
                  message: { mid: `mid.${nextId()}`, text: 'hello from a stranger' },
                },
              ],
            },
          ],
        };
  const body = Buffer.from(JSON.stringify(envelope));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (appSecret) headers['x-hub-signature-256'] = computeHubSignature(body, appSecret);
  return { body, headers };
}

function emailDelivery(authorization: string | null): Delivery {
  const mime = [
    'From: Eve <eve@example.net>',
    `To: ${config('email').address ?? 'support@example.test'}`,
    'Subject: hello',
    `Message-ID: <${nextId()}@example.net>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'hello from a stranger',
    '',
  ].join('\r\n');
  const headers: Record<string, string> = { 'content-type': 'message/rfc822' };
  if (authorization) headers.authorization = authorization;
  return { body: Buffer.from(mime), headers };
}

const inboundSecret = (): string =>
  (simulated.email!.config as { inbound?: { webhookSecret?: string } }).inbound?.webhookSecret ?? '';

interface Provider {
  kind: string;
  url: () => string;
  refused: Array<[string, () => Delivery]>;
  signed: () => Delivery;
}

const providers: Provider[] = [
  {
    kind: 'sms',
    url: () => hookUrl('sms'),
    refused: [
      ['unsigned', () => smsDelivery(hookUrl('sms'), null)],
      ['signed with another auth token', () => smsDelivery(hookUrl('sms'), 'not-the-auth-token')],
      ['signed for another address', () => smsDelivery(hookUrl('sms', '/status'), config('sms').authToken!)],
    ],
    signed: () => smsDelivery(hookUrl('sms'), config('sms').authToken!),
  },
  ...(['whatsapp', 'instagram'] as const).map((kind): Provider => ({
    kind,
    url: () => hookUrl(kind),
    refused: [
      ['unsigned', () => metaDelivery(kind, null)],
      ['signed with another app secret', () => metaDelivery(kind, 'not-the-app-secret')],
      [
        'edited after signing',
        () => {
          const delivery = metaDelivery(kind, config(kind).appSecret!);
          return { ...delivery, body: Buffer.from(delivery.body.toString().replace('stranger', 'strangeR')) };
        },
      ],
    ],
    signed: () => metaDelivery(kind, config(kind).appSecret!),
  })),
  {
    kind: 'email',
    url: () => `${h.url}/webhooks/email/${simulated.email!.id}`,
    refused: [
      ['without credentials', () => emailDelivery(null)],
      ['with another bearer secret', () => emailDelivery('Bearer not-the-webhook-secret')],
      [
        'with another basic password',
        () => emailDelivery(`Basic ${Buffer.from('relay:not-the-secret').toString('base64')}`),
      ],
    ],
    signed: () => emailDelivery(`Bearer ${inboundSecret()}`),
  },
];

describe('provider webhooks', () => {
  for (const provider of providers) {
    describe(provider.kind, () => {
      it.each(provider.refused)('refuses a delivery %s with 403 and stores nothing', async (_how, make) => {
        const before = await stored();
        const response = await post(provider.url(), make());
        expect(response.status).toBe(403);
        expect(await stored()).toEqual(before);
      });

      it('stores a correctly signed delivery (the check above is not vacuous)', async () => {
        const before = await stored();
        const response = await post(provider.url(), provider.signed());
        expect(response.status).toBe(200);
        expect((await stored()).messages).toBe((before.messages ?? 0) + 1);
      });
    });
  }

  it('refuses Meta verification with the wrong verify token', async () => {
    for (const kind of ['whatsapp', 'instagram']) {
      const query = (token: string) =>
        `?hub.mode=subscribe&hub.challenge=12345&hub.verify_token=${encodeURIComponent(token)}`;
      expect((await fetch(hookUrl(kind) + query('not-the-verify-token'))).status).toBe(403);
      const right = await fetch(hookUrl(kind) + query(config(kind).verifyToken!));
      expect([right.status, await right.text()]).toEqual([200, '12345']);
    }
  });

  it("answers 404 when the address names another kind than the channel's", async () => {
    const before = await stored();
    const wrongKind = `${h.url}/webhooks/whatsapp/${simulated.sms!.id}`;
    expect((await post(wrongKind, metaDelivery('whatsapp', config('whatsapp').appSecret!))).status).toBe(404);
    expect(await stored()).toEqual(before);
  });
});

describe('the widget API', () => {
  let chat: Channel;
  let other: Channel;
  let alice: VisitorClient;
  let bob: VisitorClient;
  let alicesFile: string;

  beforeAll(async () => {
    chat = await createWebchatChannel(owner);
    other = await createWebchatChannel(owner);
    alice = visitorClient(h, chat.id);
    bob = visitorClient(h, chat.id);
    await alice.start({ name: 'Alice' });
    await bob.start({ name: 'Bob' });
    const upload = await alice.upload([
      { name: 'receipt.jpg', bytes: await jpeg(40, 30), type: 'image/jpeg' },
    ]);
    expect(upload.status).toBe(201);
    alicesFile = upload.body.attachments[0]!.id;
    expect((await alice.send('my card ends 4242', [alicesFile])).status).toBe(201);
  });

  it('shows a visitor only their own conversation and files', async () => {
    const page = await bob.messages();
    expect(JSON.stringify(page)).not.toContain('4242');
    expect(JSON.stringify(page)).not.toContain(alicesFile);
    for (const method of ['GET', 'HEAD']) {
      expect((await bob.request(method, `attachments/${alicesFile}`)).status).toBe(404);
    }
    expect((await alice.request('GET', `attachments/${alicesFile}`)).status).toBe(200);
  });

  it("does not accept a visitor's token on another chat", async () => {
    const elsewhere = visitorClient(h, other.id);
    elsewhere.token = alice.token;
    expect((await elsewhere.request('GET', 'messages')).status).toBe(401);
    expect((await elsewhere.request('GET', `attachments/${alicesFile}`)).status).toBe(401);
  });

  it('answers 401 on every visitor route without a token, even to a signed-in agent', async () => {
    // Without a token the conversation is simply empty (the widget shows its greeting), and
    // the socket is only served as an upgrade with a token (see test/webchat/visitor-isolation).
    const open = new Set(['/api/widget/:channelId/config', '/api/widget/:channelId/visitors']);
    const emptyPage = new Set([
      'GET /api/widget/:channelId/messages',
      'HEAD /api/widget/:channelId/messages',
    ]);
    const socket = '/api/widget/:channelId/ws';
    const bodies: Record<string, unknown> = {
      'POST /api/widget/:channelId/messages': { clientId: 'anonymous-1', text: 'hello' },
      'POST /api/widget/:channelId/read': { messageId: alicesFile },
      'POST /api/widget/:channelId/uploads': {},
      'PATCH /api/widget/:channelId/visitor': { name: 'Mallory' },
    };
    const routes = h.app.routeTable.filter(
      (route) => route.url.startsWith('/api/widget/') && route.method !== 'OPTIONS' && !open.has(route.url),
    );
    expect(routes.length).toBeGreaterThanOrEqual(11);
    const answers: string[] = [];
    const nobody = visitorClient(h, chat.id);
    for (const route of routes) {
      const name = `${route.method} ${route.url}`;
      const path = route.url.replace(':channelId', chat.id).replace(':id', alicesFile);
      const body = bodies[name];
      const expected = emptyPage.has(name) ? 200 : route.url === socket ? 404 : 401;
      const anonymous = await nobody.request(route.method, path, body);
      const agent = await owner.request(route.method, path, body, { origin: 'https://shop.example' });
      for (const [who, response] of [
        ['nobody', anonymous],
        ['an agent', agent],
      ] as const) {
        if (response.status !== expected) answers.push(`${name} as ${who} → ${response.status}`);
        if (response.raw.toString('utf8').includes('4242'))
          answers.push(`${name} as ${who} leaks the conversation`);
      }
    }
    expect(answers).toEqual([]);
  });
});

describe('signed media links', () => {
  let mine: Attachment;
  let another: Attachment;
  const key = () => h.deps.secrets.urlSigningKey;
  const later = () => Math.floor(Date.now() / 1000) + 600;
  const link = (attachmentId: string, variant = 'original', expiresAt = later()) =>
    signedMediaPath(key(), { attachmentId, variant, expiresAt }, 'file.jpg');

  beforeAll(async () => {
    const uploaded = await owner.upload<{ attachments: Attachment[] }>([
      { name: 'one.jpg', bytes: await jpeg(64, 48) },
      { name: 'two.jpg', bytes: await jpeg(48, 64) },
    ]);
    [mine, another] = uploaded.body.attachments as [Attachment, Attachment];
  });

  const fetchPath = (path: string) => fetch(`${h.url}${path}`);

  it('serves a valid link without a session', async () => {
    const response = await fetchPath(link(mine.id));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
  });

  it('refuses a link whose signature was edited', async () => {
    const parts = link(mine.id).split('/');
    const signature = parts[5]!;
    parts[5] = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    expect((await fetchPath(parts.join('/'))).status).toBe(403);
  });

  it('refuses a link moved to another file, another variant or a later expiry', async () => {
    const parts = link(mine.id).split('/');
    const moved = [...parts];
    moved[2] = another.id;
    const variant = [...parts];
    variant[3] = 'thumbnail';
    const extended = [...parts];
    extended[4] = String(Number(parts[4]) + 86_400);
    for (const path of [moved, variant, extended]) expect((await fetchPath(path.join('/'))).status).toBe(403);
  });

  it('refuses an expired link (410, the page asks for a new one)', async () => {
    const response = await fetchPath(link(mine.id, 'original', Math.floor(Date.now() / 1000) - 60));
    expect(response.status).toBe(410);
    expect(response.headers.get('content-type')).not.toBe('image/jpeg');
  });
});
