// The SMS simulator inside the app: the starter channel, the customer page's API (a simulated
// customer texts the helpdesk through the in-app Twilio and sees the agent's replies), and the
// page itself in Chromium.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel, Message, Ticket } from '../../src/shared/api-schemas.js';
import { ensureAccount } from '../../src/server/bootstrap.js';
import { createSmsAdapter } from '../../src/server/channels/sms/sms-adapter.js';
import { createSmsStarterChannel } from '../../src/server/channels/sms/sms-starter.js';
import { smsSimulatorRoutes } from '../../src/server/simulators/sms/sms-simulator-routes.js';
import { smsSimulator } from '../../src/server/simulators/sms/sms-simulator.js';
import { simulatorRoutes } from '../../src/server/simulators/simulator-routes.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness, type TestAccount } from '../support/harness.js';
import { jpeg } from '../support/images.js';
import { waitFor } from './sms-setup.js';

let h: Harness;
let pageRoot: string;
let account: TestAccount;
let agent: Client;
let channel: Channel;

interface HandsetMessage {
  id: string;
  direction: 'to-helpdesk' | 'to-customer';
  body: string;
  status: string;
  media: Array<{ url: string | null; contentType: string; size: number }>;
}

beforeAll(async () => {
  pageRoot = await mkdtemp(join(tmpdir(), 'switchboard-simulator-page-'));
  await build({
    configFile: join(process.cwd(), 'vite.simulator.config.ts'),
    logLevel: 'silent',
    build: { outDir: pageRoot, emptyOutDir: true, sourcemap: false },
  });
  h = await createHarness({
    adapters: [createSmsAdapter()],
    extraRoutes: [simulatorRoutes({ pageRoot }), smsSimulatorRoutes],
  });
  account = await buildAccount(h);
  agent = await signIn(h, account.admin.email, account.admin.password);
  await createSmsStarterChannel(h.deps, account.accountId);
  const list = await agent.request<{ channels: Channel[] }>('GET', '/api/channels');
  channel = list.body.channels[0]!;
}, 120_000);
afterAll(async () => {
  await h.close();
  await rm(pageRoot, { recursive: true, force: true });
});

async function texted(phone: string, body: string, photos: Buffer[] = []) {
  const form = new FormData();
  form.append('body', body);
  for (const [i, bytes] of photos.entries()) {
    form.append('media', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), `IMG_${i}.jpg`);
  }
  const response = await fetch(
    `${h.url}/api/simulator/sms/${channel.id}/customers/${encodeURIComponent(phone)}/messages`,
    {
      method: 'POST',
      headers: { cookie: agent.cookie!, 'x-csrf-token': agent.csrf! },
      body: form,
    },
  );
  return { status: response.status, body: (await response.json()) as HandsetMessage };
}

async function handset(phone: string): Promise<HandsetMessage[]> {
  const response = await agent.request<{ messages: HandsetMessage[] }>(
    'GET',
    `/api/simulator/sms/${channel.id}/customers/${encodeURIComponent(phone)}/messages`,
  );
  return response.body.messages;
}

describe('the starter SMS channel', () => {
  it('is created in simulator mode on first start, with a valid Twilio-shaped configuration', async () => {
    const fresh = await createHarness({ adapters: [createSmsAdapter()] });
    try {
      const first = await ensureAccount(fresh.deps, [createSmsStarterChannel]);
      const rows = await fresh.deps.db.selectFrom('channels').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ accountId: first.accountId, kind: 'sms', simulator: 1 });
      expect(JSON.parse(rows[0]!.config)).toMatchObject({
        accountSid: expect.stringMatching(/^AC[0-9a-f]{32}$/),
      });
      expect(JSON.parse(rows[0]!.config)).not.toHaveProperty('authToken');
      await ensureAccount(fresh.deps, [createSmsStarterChannel]);
      expect(await fresh.deps.db.selectFrom('channels').select('id').execute()).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it('is not created when simulators are turned off', async () => {
    const off = await createHarness({ adapters: [createSmsAdapter()], env: { SIMULATORS: '0' } });
    try {
      await ensureAccount(off.deps, [createSmsStarterChannel]);
      expect(await off.deps.db.selectFrom('channels').select('id').execute()).toHaveLength(0);
    } finally {
      await off.close();
    }
  });
});

describe('the SMS simulator API', () => {
  it('lists the simulator channel and runs its Twilio on loopback', async () => {
    const list = await agent.request<{ enabled: boolean; channels: Array<{ id: string; kind: string }> }>(
      'GET',
      '/api/simulator/channels',
    );
    expect(list.body).toMatchObject({ enabled: true, channels: [{ id: channel.id, kind: 'sms' }] });
    const overview = await agent.request<{ channel: { number: string } }>(
      'GET',
      `/api/simulator/sms/${channel.id}`,
    );
    expect(overview.body.channel.number).toBe('+12025550100');
    const running = h.deps.simulators.running(smsSimulator, channel.id);
    expect(running?.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lets a new customer text a photo to the helpdesk and shows the agent’s reply on the handset', async () => {
    const created = await agent.request<{ phone: string }>(
      'POST',
      `/api/simulator/sms/${channel.id}/customers`,
      {
        country: 'US',
      },
    );
    expect(created.status).toBe(201);
    const phone = created.body.phone;
    expect(phone).toMatch(/^\+1202555\d{4}$/);
    const photo = await jpeg(640, 480);
    const sent = await texted(phone, 'The lamp arrived cracked', [photo]);
    expect(sent.status).toBe(201);

    const tickets = await agent.request<{ tickets: Ticket[] }>(
      'GET',
      `/api/tickets?q=${encodeURIComponent(phone)}`,
    );
    const ticket = tickets.body.tickets[0]!;
    expect(ticket.subject).toBe('The lamp arrived cracked');
    const inbound = await waitFor(async () => {
      const page = await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`);
      const message = page.body.messages[0];
      return message?.attachments[0]?.state === 'ready' ? message : undefined;
    }, 'the photo in the inbox');
    expect(inbound.attachments[0]).toMatchObject({
      contentType: 'image/jpeg',
      width: 640,
      size: photo.length,
    });

    const upload = await agent.upload<{ attachments: Attachment[] }>([
      { name: 'label.jpg', bytes: await jpeg(300, 200) },
    ]);
    const reply = await agent.request<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'So sorry! Here is a return label.',
      attachmentIds: [upload.body.attachments[0]!.id],
    });
    expect(reply.status).toBe(201);
    const conversation = await waitFor(async () => {
      const messages = await handset(phone);
      return messages.some((m) => m.direction === 'to-customer' && m.status === 'delivered')
        ? messages
        : undefined;
    }, 'the reply on the handset');
    expect(conversation.map((m) => [m.direction, m.body])).toEqual([
      ['to-helpdesk', 'The lamp arrived cracked'],
      ['to-customer', 'So sorry! Here is a return label.'],
    ]);
    const media = conversation[1]!.media[0]!;
    expect(media.contentType).toBe('image/jpeg');
    const bytes = await agent.request('GET', media.url!);
    expect(bytes.headers.get('content-type')).toBe('image/jpeg');
    expect(bytes.raw.length).toBe(media.size);
    await waitFor(async () => {
      const page = await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`);
      return page.body.messages.find((m) => m.id === reply.body.id)?.status === 'delivered';
    }, 'the reply delivered in the inbox');
  });

  it('refuses an empty text, more than ten photos, and strangers', async () => {
    const phone = '+12025550177';
    expect((await texted(phone, '   ')).status).toBe(400);
    const eleven = await Promise.all(Array.from({ length: 11 }, () => jpeg(20, 20)));
    expect((await texted(phone, 'many', eleven)).status).toBe(400);
    const other = await buildAccount(h, 'Other');
    const stranger = await signIn(h, other.admin.email, other.admin.password);
    expect((await stranger.request('GET', `/api/simulator/sms/${channel.id}`)).status).toBe(404);
    expect((await stranger.request('GET', '/api/simulator/channels')).body).toMatchObject({ channels: [] });
    const anonymous = await fetch(`${h.url}/api/simulator/sms/${channel.id}`);
    expect(anonymous.status).toBe(401);
  });
});

describe.skipIf(!hasChromium())('the customer page', () => {
  it('plays a customer on a handset: texts, sends a photo, and sees the reply with its picture', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
      await page.goto(`${h.url}/simulator?channel=${channel.id}`);
      await page.fill('input[name=email]', account.admin.email);
      await page.fill('input[name=password]', account.admin.password);
      await page.click('button[type=submit]');
      await page.click('text=New customer');
      await page.waitForSelector('.customer.active');
      const phone = new URL(page.url()).searchParams.get('customer')!;
      expect(phone).toMatch(/^\+1/);

      await page.fill('.composer textarea', 'Hi! My parcel came with a broken lamp');
      await page.setInputFiles('.composer input[type=file]', {
        name: 'IMG_2041.jpg',
        mimeType: 'image/jpeg',
        buffer: await jpeg(900, 675),
      });
      await page.waitForSelector('.tray .chip img');
      await page.click('.composer .send');
      await page.waitForSelector('.row.mine .media img');

      const ticket = await waitFor(async () => {
        const list = await agent.request<{ tickets: Ticket[] }>(
          'GET',
          `/api/tickets?q=${encodeURIComponent(phone)}`,
        );
        return list.body.tickets[0];
      }, 'the ticket');
      const upload = await agent.upload<{ attachments: Attachment[] }>([
        { name: 'return-label.jpg', bytes: await jpeg(600, 800) },
      ]);
      await agent.request('POST', `/api/tickets/${ticket.id}/messages`, {
        text: "I'm sorry about that! Print this label and we'll send a new lamp today.",
        attachmentIds: [upload.body.attachments[0]!.id],
      });
      await page.waitForSelector('.row.theirs .media img', { timeout: 20_000 });
      await page.waitForSelector('.row.theirs .receipt:has-text("Delivered")', { timeout: 20_000 });
      await page.waitForFunction(() =>
        [...document.querySelectorAll('.thread img')].every((img) => (img as HTMLImageElement).complete),
      );
      const texts = await page.locator('.row .bubble').allTextContents();
      expect(texts).toEqual([
        'Hi! My parcel came with a broken lamp',
        "I'm sorry about that! Print this label and we'll send a new lamp today.",
      ]);
      await page.screenshot({ path: screenshotPath('sms-simulator-handset') });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
