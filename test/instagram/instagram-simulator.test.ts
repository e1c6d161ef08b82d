// The Instagram simulator inside the app: the starter channel, the customer page's API (a
// simulated customer writes through the in-app Graph API: photos on expiring links, story
// mentions, shares, unsending; and sees the agent's replies), and the page itself in Chromium.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel, Message, Ticket } from '../../src/shared/api-schemas.js';
import { ensureAccount } from '../../src/server/bootstrap.js';
import { instagramAdapter } from '../../src/server/channels/instagram/instagram-adapter.js';
import { createInstagramStarterChannel } from '../../src/server/channels/instagram/instagram-starter.js';
import { instagramSimulatorRoutes } from '../../src/server/simulators/instagram/instagram-simulator-routes.js';
import { simulatorRoutes } from '../../src/server/simulators/simulator-routes.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness, type TestAccount } from '../support/harness.js';
import { jpeg } from '../support/images.js';
import { until } from './setup.js';

let h: Harness;
let pageRoot: string;
let account: TestAccount;
let agent: Client;
let channel: Channel;

interface ChatMessage {
  id: string;
  direction: 'to-helpdesk' | 'to-customer';
  text: string;
  status: string;
  note: string | null;
  media: Array<{ kind: string; url: string | null; contentType: string; size: number }>;
}

beforeAll(async () => {
  pageRoot = await mkdtemp(join(tmpdir(), 'switchboard-simulator-page-'));
  await build({
    configFile: join(process.cwd(), 'vite.simulator.config.ts'),
    logLevel: 'silent',
    build: { outDir: pageRoot, emptyOutDir: true, sourcemap: false },
  });
  h = await createHarness({
    adapters: [instagramAdapter],
    extraRoutes: [simulatorRoutes({ pageRoot }), instagramSimulatorRoutes],
  });
  account = await buildAccount(h);
  agent = await signIn(h, account.admin.email, account.admin.password);
  await createInstagramStarterChannel(h.deps, account.accountId);
  channel = (await agent.request<{ channels: Channel[] }>('GET', '/api/channels')).body.channels[0]!;
}, 120_000);
afterAll(async () => {
  await h.close();
  await rm(pageRoot, { recursive: true, force: true });
});

const base = () => `/api/simulator/instagram/${channel.id}`;

async function write(
  igsid: string,
  text: string,
  files: Array<{ bytes: Buffer; type: string; name: string }> = [],
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  form.append('text', text);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files)
    form.append('media', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const response = await fetch(`${h.url}${base()}/customers/${igsid}/messages`, {
    method: 'POST',
    headers: { cookie: agent.cookie!, 'x-csrf-token': agent.csrf! },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as { messages: ChatMessage[] } };
}

const chat = async (igsid: string): Promise<ChatMessage[]> =>
  (await agent.request<{ messages: ChatMessage[] }>('GET', `${base()}/customers/${igsid}/messages`)).body
    .messages;

const ticketOf = (igsid: string): Promise<Ticket> =>
  until(
    async () =>
      (await agent.request<{ tickets: Ticket[] }>('GET', `/api/tickets?q=${igsid}`)).body.tickets[0],
    'the ticket',
  );

async function settledInbox(ticketId: string, count: number): Promise<Message[]> {
  return until(async () => {
    await h.deps.queue.idle();
    const page = await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticketId}/messages`);
    const list = [...page.body.messages].reverse();
    return list.length >= count && list.every((m) => m.attachments.every((a) => a.state !== 'processing'))
      ? list
      : undefined;
  }, 'the inbox to settle');
}

describe('the starter Instagram channel', () => {
  it('is created in simulator mode on first start, allowed to use the HUMAN_AGENT tag', async () => {
    const fresh = await createHarness({ adapters: [instagramAdapter] });
    try {
      await ensureAccount(fresh.deps, [createInstagramStarterChannel]);
      const rows = await fresh.deps.db.selectFrom('channels').selectAll().execute();
      expect(rows).toMatchObject([{ kind: 'instagram', simulator: 1 }]);
      expect(JSON.parse(rows[0]!.config)).toEqual({
        accountId: expect.stringMatching(/^\d{17}$/),
        humanAgentTag: true,
      });
    } finally {
      await fresh.close();
    }
  });
});

describe('the Instagram simulator API', () => {
  it('delivers photos, a story mention, a shared post and text; shows the replies; unsends', async () => {
    const created = await agent.request<{ id: string; name: string }>('POST', `${base()}/customers`, {
      name: 'Mei Lin',
    });
    expect(created.body.name).toBe('mei.lin');
    const igsid = created.body.id;
    const photos = [await jpeg(320, 240), await jpeg(240, 320)];
    const sent = await write(
      igsid,
      'Which size should I take?',
      photos.map((bytes, i) => ({ bytes, type: 'image/jpeg', name: `p${i}.jpg` })),
    );
    expect(sent.status).toBe(201);
    expect(sent.body.messages.map((m) => [m.media[0]?.kind ?? null, m.text])).toEqual([
      ['image', ''],
      ['image', ''],
      [null, 'Which size should I take?'],
    ]);
    expect((await write(igsid, '', [], { special: 'story_mention' })).status).toBe(201);
    expect((await write(igsid, '', [], { special: 'share' })).status).toBe(201);
    const expired = await write(
      igsid,
      '',
      [{ bytes: await jpeg(50, 50), type: 'image/jpeg', name: 'late.jpg' }],
      { special: 'expired' },
    );
    expect(expired.status).toBe(201);

    const ticket = await ticketOf(igsid);
    const inbox = await settledInbox(ticket.id, 6);
    expect(inbox.map((m) => m.attachments[0]?.state ?? null)).toEqual([
      'ready',
      'ready',
      null,
      'ready',
      null,
      'unavailable',
    ]);
    expect(inbox[3]!.meta).toMatchObject({
      storyMention: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1/) },
    });
    expect(inbox[4]!.meta).toMatchObject({ cards: [{ kind: 'share', title: 'New arrivals: linen shirts' }] });
    expect(inbox[5]!.attachments[0]!.stateReason).toContain('no longer available on Instagram');

    const upload = await agent.upload<{ attachments: Attachment[] }>([
      { name: 'size-chart.jpg', bytes: await jpeg(400, 300) },
    ]);
    await agent.request('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'Take an M: see the chart.',
      attachmentIds: [upload.body.attachments[0]!.id],
    });
    const replies = await until(async () => {
      const list = (await chat(igsid)).filter((m) => m.direction === 'to-customer');
      return list.length === 2 ? list : undefined;
    }, 'the replies in the app');
    expect(replies.map((m) => [m.media[0]?.kind ?? null, m.text])).toEqual([
      ['image', ''],
      [null, 'Take an M: see the chart.'],
    ]);

    const own = (await chat(igsid)).find((m) => m.text === 'Which size should I take?')!;
    const unsent = await agent.request<ChatMessage>(
      'POST',
      `${base()}/customers/${igsid}/messages/${own.id}/unsend`,
      {},
    );
    expect(unsent.body.status).toBe('unsent');
    await until(async () => {
      const page = await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`);
      return (
        page.body.messages.find((m) => m.text === 'Which size should I take?')?.meta.deletedByCustomer ===
        true
      );
    }, 'the deletion in the inbox');
    const outbound = (
      await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`)
    ).body.messages.filter((m) => m.direction === 'outbound');
    expect(outbound).toHaveLength(1);
  });

  it('lets the window lapse: a plain reply fails, a HUMAN_AGENT reply goes', async () => {
    const igsid = (await agent.request<{ id: string }>('POST', `${base()}/customers`, {})).body.id;
    await write(igsid, 'hello?');
    const ticket = await ticketOf(igsid);
    expect(
      (await agent.request('POST', `${base()}/customers/${igsid}/window`, { state: 'human-agent' })).status,
    ).toBe(200);
    const plain = await agent.request<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'Plain',
    });
    const tagged = await agent.request<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'Tagged',
      meta: { humanAgentTag: true },
    });
    const [failed, sent] = await until(async () => {
      await h.deps.queue.idle();
      const page = await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`);
      const a = page.body.messages.find((m) => m.id === plain.body.id);
      const b = page.body.messages.find((m) => m.id === tagged.body.id);
      return a?.status === 'failed' && b?.status === 'sent' ? [a, b] : undefined;
    }, 'both replies to settle');
    expect(failed.errorCode).toBe('10/2534022');
    expect(sent.status).toBe('sent');
    const onPhone = await until(
      async () => (await chat(igsid)).find((m) => m.direction === 'to-customer'),
      'the reply in the app',
    );
    expect(onPhone).toMatchObject({ text: 'Tagged', note: 'Sent with the HUMAN_AGENT tag' });
  });
});

describe.skipIf(!hasChromium())('the Instagram customer page', () => {
  it('plays a customer in Instagram DMs: sends a photo and text, mentions the business in a story, sees the reply', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
      await page.goto(`${h.url}/simulator?channel=${channel.id}`);
      await page.fill('input[name=email]', account.admin.email);
      await page.fill('input[name=password]', account.admin.password);
      await page.click('button[type=submit]');
      await page.click('text=New Instagram customer');
      await page.waitForSelector('.customer.active');
      const igsid = new URL(page.url()).searchParams.get('customer')!;
      await page.fill('.composer textarea', 'Do you have this in blue?');
      await page.setInputFiles('.composer input[type=file]', {
        name: 'IMG_3001.jpg',
        mimeType: 'image/jpeg',
        buffer: await jpeg(900, 1200),
      });
      await page.waitForSelector('.tray .chip img');
      await page.click('.composer .send');
      await page.waitForSelector('.row.mine .media img');
      await page.click('text=Mention the business in a story');
      await page.waitForSelector('.row.mine .story img');

      const ticket = await ticketOf(igsid);
      const upload = await agent.upload<{ attachments: Attachment[] }>([
        { name: 'blue.jpg', bytes: await jpeg(600, 800) },
      ]);
      await agent.request('POST', `/api/tickets/${ticket.id}/messages`, {
        text: 'Yes! Here it is in blue, thanks for the story mention.',
        attachmentIds: [upload.body.attachments[0]!.id],
      });
      await page.waitForSelector('.row.theirs .media img', { timeout: 20_000 });
      await page.waitForSelector('.row.theirs .bubble', { timeout: 20_000 });
      await page.waitForFunction(() =>
        [...document.querySelectorAll('.thread img')].every((img) => (img as HTMLImageElement).complete),
      );
      const texts = await page.locator('.row .bubble').allTextContents();
      expect(texts).toEqual([
        'Do you have this in blue?',
        'Yes! Here it is in blue, thanks for the story mention.',
      ]);
      await page.screenshot({ path: screenshotPath('instagram-simulator-dm') });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
