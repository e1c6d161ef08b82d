// The SMS channel in the agent app: the composer says beforehand that a photo to a UK number
// goes as a secure link, the channel settings show both Twilio addresses and a way to the
// simulator, and an admin can add another SMS channel in simulator mode without credentials.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Ticket } from '../../src/shared/api-schemas.js';
import { createSmsAdapter } from '../../src/server/channels/sms/sms-adapter.js';
import { createSmsStarterChannel } from '../../src/server/channels/sms/sms-starter.js';
import { smsSimulatorRoutes } from '../../src/server/simulators/sms/sms-simulator-routes.js';
import { eventually } from '../support/agent-app-expect.js';
import { builtWebRoot, signInThroughForm } from '../support/agent-app.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness, type TestAccount } from '../support/harness.js';
import { jpeg } from '../support/images.js';
import { waitFor } from './sms-setup.js';

const run = hasChromium() ? describe : describe.skip;

let h: Harness;
let account: TestAccount;
let agent: Client;
let channel: Channel;
let browser: Browser;
let page: Page;

async function customerTexts(phone: string, body: string): Promise<Ticket> {
  const form = new FormData();
  form.append('body', body);
  const response = await fetch(
    `${h.url}/api/simulator/sms/${channel.id}/customers/${encodeURIComponent(phone)}/messages`,
    { method: 'POST', headers: { cookie: agent.cookie!, 'x-csrf-token': agent.csrf! }, body: form },
  );
  expect(response.status).toBe(201);
  return waitFor(async () => {
    const list = await agent.request<{ tickets: Ticket[] }>(
      'GET',
      `/api/tickets?q=${encodeURIComponent(phone)}`,
    );
    return list.body.tickets[0];
  }, 'the ticket');
}

run('the SMS channel in the agent app', () => {
  beforeAll(async () => {
    h = await createHarness({
      adapters: [createSmsAdapter()],
      extraRoutes: [smsSimulatorRoutes],
      webRoot: await builtWebRoot(),
    });
    account = await buildAccount(h, 'Harbor');
    agent = await signIn(h, account.admin.email, account.admin.password);
    await createSmsStarterChannel(h.deps, account.accountId);
    channel = (await agent.request<{ channels: Channel[] }>('GET', '/api/channels')).body.channels[0]!;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await signInThroughForm(page, h.url, account.admin.email, account.admin.password);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('tells the agent before sending that a photo to a UK number goes as a secure link', async () => {
    const uk = await customerTexts('+447700900123', 'Hello from London! Can you send a photo of the part?');
    const us = await customerTexts('+12025550160', 'Hi, can I get a picture of the label?');
    await page.goto(`${h.url}/tickets/${uk.id}`);
    await page.locator('.composer-text').waitFor();
    await page
      .locator('input[type=file]')
      .first()
      .setInputFiles({
        name: 'part.jpg',
        mimeType: 'image/jpeg',
        buffer: await jpeg(800, 600),
      });
    const hint = page.locator('.chip .chip-hint').first();
    await eventually(() => hint.textContent(), { timeout: 15_000 }).toBe(
      'This number can’t receive media: sent as a secure link',
    );
    await page.locator('.composer-text').fill('Here is the part we will send you.');
    await page.screenshot({ path: screenshotPath('sms-composer-uk-link-hint') });

    await page.goto(`${h.url}/tickets/${us.id}`);
    await page.locator('.composer-text').waitFor();
    await page
      .locator('input[type=file]')
      .first()
      .setInputFiles({
        name: 'label.jpg',
        mimeType: 'image/jpeg',
        buffer: await jpeg(800, 600),
      });
    await eventually(() => page.locator('.chip .chip-hint').first().getAttribute('data-action'), {
      timeout: 15_000,
    }).toBe('send');
  });

  it('shows both Twilio addresses, a way to the simulator, and creates a simulator channel without credentials', async () => {
    await page.goto(`${h.url}/settings/channels`);
    const card = page.locator('.channel-card', { hasText: 'SMS (simulator)' });
    await card.waitFor();
    expect(await card.locator('code').allTextContents()).toEqual([
      `${h.url}/webhooks/sms/${channel.id}`,
      `${h.url}/webhooks/sms/${channel.id}/status`,
    ]);
    expect(
      await card.getByRole('link', { name: 'Play the customer in the simulator' }).getAttribute('href'),
    ).toBe(`/simulator?channel=${channel.id}`);
    await page.screenshot({ path: screenshotPath('sms-settings-channel'), fullPage: true });

    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByLabel('Name').fill('Second SMS line');
    await page.locator('.kind-option', { hasText: 'SMS' }).click();
    await page.getByText('Use the simulator').click();
    await page.getByRole('button', { name: 'Create channel' }).click();
    await page.locator('.channel-card', { hasText: 'Second SMS line' }).waitFor();
    const list = await agent.request<{ channels: Channel[] }>('GET', '/api/channels');
    expect(list.body.channels.find((c) => c.name === 'Second SMS line')).toMatchObject({
      kind: 'sms',
      simulator: true,
      config: { accountSid: expect.stringMatching(/^AC[0-9a-f]{32}$/), from: '+12025550100' },
    });
  });
});
