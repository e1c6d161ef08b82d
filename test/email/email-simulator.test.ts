// The e-mail simulator inside the app: the starter channel in simulator mode, a simulated
// customer mailing the helpdesk through the raw-MIME webhook, the agent's reply reaching the
// customer's mailbox through the loopback SMTP peer, the customer's answer threading into the
// same ticket, and the mail-client page in Chromium.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Ticket } from '../../src/shared/api-schemas.js';
import { emailAdapter } from '../../src/server/channels/email/email-adapter.js';
import { emailRoutes } from '../../src/server/channels/email/email-routes.js';
import { createEmailStarterChannel } from '../../src/server/channels/email/email-starter.js';
import { emailSimulatorRoutes } from '../../src/server/simulators/email/email-simulator-routes.js';
import { simulatorRoutes } from '../../src/server/simulators/simulator-routes.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness, type TestAccount } from '../support/harness.js';
import { jpeg } from '../support/images.js';

let h: Harness;
let pageRoot: string;
let account: TestAccount;
let agent: Client;
let channel: Channel;

interface Mail {
  id: string;
  direction: 'to-helpdesk' | 'to-customer';
  subject: string;
  text: string;
  html: string | null;
  status: string;
  files: Array<{ name: string; url: string }>;
}

async function waitFor<T>(check: () => Promise<T | undefined | null | false>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

beforeAll(async () => {
  pageRoot = await mkdtemp(join(tmpdir(), 'switchboard-simulator-page-'));
  await build({
    configFile: join(process.cwd(), 'vite.simulator.config.ts'),
    logLevel: 'silent',
    build: { outDir: pageRoot, emptyOutDir: true, sourcemap: false },
  });
  h = await createHarness({
    adapters: [emailAdapter],
    extraRoutes: [simulatorRoutes({ pageRoot }), emailRoutes, emailSimulatorRoutes],
  });
  account = await buildAccount(h);
  agent = await signIn(h, account.admin.email, account.admin.password);
  await createEmailStarterChannel(h.deps, account.accountId);
  channel = (await agent.request<{ channels: Channel[] }>('GET', '/api/channels')).body.channels[0]!;
}, 120_000);
afterAll(async () => {
  await h.close();
  await rm(pageRoot, { recursive: true, force: true });
});

async function mail(
  address: string,
  subject: string,
  body: string,
  files: Array<{ name: string; bytes: Buffer }> = [],
) {
  const form = new FormData();
  form.append('subject', subject);
  form.append('body', body);
  for (const file of files)
    form.append('files', new Blob([new Uint8Array(file.bytes)], { type: 'image/jpeg' }), file.name);
  const response = await fetch(
    `${h.url}/api/simulator/email/${channel.id}/customers/${encodeURIComponent(address)}/messages`,
    {
      method: 'POST',
      headers: { cookie: agent.cookie!, 'x-csrf-token': agent.csrf! },
      body: form,
    },
  );
  return { status: response.status, body: (await response.json()) as Mail };
}

const mailbox = async (address: string) =>
  (
    await agent.request<{ messages: Mail[] }>(
      'GET',
      `/api/simulator/email/${channel.id}/customers/${encodeURIComponent(address)}/messages`,
    )
  ).body.messages;

describe('the e-mail simulator', () => {
  it('starts with an e-mail channel in simulator mode', () => {
    expect(channel).toMatchObject({
      kind: 'email',
      simulator: true,
      config: { address: 'support@helpdesk.example' },
    });
  });

  it('a customer mails the helpdesk, gets the reply in their mailbox, and their answer threads into the same ticket', async () => {
    const created = await agent.request<{ address: string }>(
      'POST',
      `/api/simulator/email/${channel.id}/customers`,
      {},
    );
    expect(created.status).toBe(201);
    const address = created.body.address;
    const sent = await mail(address, 'Broken lamp', 'It arrived broken.', [
      { name: 'lamp.jpg', bytes: await jpeg(320, 240) },
    ]);
    expect(sent.status).toBe(201);
    expect(sent.body.status).toBe('delivered');
    const ticket = await waitFor(async () => {
      const list = await agent.request<{ tickets: Ticket[] }>(
        'GET',
        `/api/tickets?q=${encodeURIComponent('Broken lamp')}`,
      );
      return list.body.tickets[0];
    }, 'the ticket');
    await agent.request('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'Sorry! A new lamp is on its way.',
    });
    const reply = await waitFor(
      async () => (await mailbox(address)).find((m) => m.direction === 'to-customer'),
      'the reply',
    );
    expect(reply.subject).toBe(`Re: Broken lamp [#${ticket.number}]`);
    expect(reply.text).toContain('A new lamp is on its way.');
    const answer = await mail(address, '', 'Thank you!');
    expect(answer.body.subject).toBe(`Re: Broken lamp [#${ticket.number}]`);
    await waitFor(async () => {
      const thread = await agent.request<{ messages: Array<{ text: string }> }>(
        'GET',
        `/api/tickets/${ticket.id}/messages`,
      );
      return thread.body.messages.some((m) => m.text === 'Thank you!');
    }, 'the answer in the same ticket');
  });

  it('is reachable only by agents of the channel’s account', async () => {
    const other = await buildAccount(h, 'Other');
    const stranger = await signIn(h, other.admin.email, other.admin.password);
    expect((await stranger.request('GET', `/api/simulator/email/${channel.id}`)).status).toBe(404);
  });
});

describe.skipIf(!hasChromium())('the customer page', () => {
  it('plays a customer in a mail client', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
      await page.goto(`${h.url}/simulator?channel=${channel.id}`);
      await page.fill('input[name=email]', account.admin.email);
      await page.fill('input[name=password]', account.admin.password);
      await page.click('button[type=submit]');
      await page.click('text=New customer');
      await page.waitForSelector('.folder.active');
      const address = new URL(page.url()).searchParams.get('customer')!;
      await page.fill('.compose input[name=subject]', 'Where is my parcel?');
      await page.fill('.compose textarea', 'Ordered last week, nothing yet.');
      await page.click('.compose button[type=submit]');
      await page.waitForSelector('.mail-row.to-helpdesk');
      const ticket = await waitFor(async () => {
        const list = await agent.request<{ tickets: Ticket[] }>(
          'GET',
          `/api/tickets?q=${encodeURIComponent('Where is my parcel')}`,
        );
        return list.body.tickets[0];
      }, 'the ticket');
      await agent.request('POST', `/api/tickets/${ticket.id}/messages`, {
        text: 'It ships tomorrow, sorry for the wait!',
      });
      await page.waitForSelector('.mail-row.to-customer', { timeout: 20_000 });
      await page.click('.mail-row.to-customer');
      await page.waitForSelector('.reading iframe');
      const frame = page.frameLocator('.reading iframe');
      expect(await frame.locator('body').textContent()).toContain('It ships tomorrow');
      expect(address).toContain('@customer.example');
      await page.screenshot({ path: screenshotPath('email-simulator-client') });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
