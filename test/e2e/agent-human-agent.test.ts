// Instagram's HUMAN_AGENT tag in the agent app: once the 24-hour window has closed, and while
// the customer's last message is less than 7 days old, the composer offers to send the reply
// as a human agent reply; the flag reaches the server and the Graph fake receives the tag.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Message } from '../../src/shared/api-schemas.js';
import { instagramAdapter } from '../../src/server/channels/instagram/instagram-adapter.js';
import { startFakeGraph, type FakeGraph } from '../fakes/graph.js';
import { eventually } from '../support/agent-app-expect.js';
import { builtWebRoot, signInThroughForm } from '../support/agent-app.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { ticketOf, until } from '../whatsapp/setup.js';

const run = hasChromium() ? describe : describe.skip;
const APP_SECRET = 'ig-app-secret-123';
const ACCESS_TOKEN = 'IGAA-instagram-token-123';
const DAY = 24 * 60 * 60 * 1000;
const CHECKBOX = 'Send as human agent reply (allowed up to 7 days)';

let h: Harness;
let graph: FakeGraph;
let agent: Client;
let browser: Browser;
let page: Page;
let customers = 0;

/** A customer who last wrote `ago` milliseconds ago, and their ticket. */
async function customerWhoWrote(ago: number): Promise<{ igsid: string; ticketId: string }> {
  const igsid = `76543299${String(10_000_000 + ++customers)}`;
  await graph.instagram.receive({ senderId: igsid, text: 'Is my order on its way?' });
  const ticket = await ticketOf({ h, agent }, igsid);
  await h.deps.db
    .updateTable('tickets')
    .set({ lastInboundAt: Date.now() - ago })
    .where('id', '=', ticket.id)
    .execute();
  return { igsid, ticketId: ticket.id };
}

async function openTicket(ticketId: string): Promise<void> {
  await page.goto(`${h.url}/tickets/${ticketId}`);
  await page.locator('.composer-text').waitFor();
}

run('Instagram HUMAN_AGENT replies in the agent app', () => {
  beforeAll(async () => {
    h = await createHarness({ adapters: [instagramAdapter], webRoot: await builtWebRoot() });
    graph = await startFakeGraph({ appSecret: APP_SECRET, accessToken: ACCESS_TOKEN });
    const account = await buildAccount(h);
    agent = await signIn(h, account.admin.email, account.admin.password);
    const created = await agent.request<Channel>('POST', '/api/channels', {
      kind: 'instagram',
      name: 'Instagram DMs',
      config: {
        accountId: graph.igAccountId,
        accessToken: ACCESS_TOKEN,
        appSecret: APP_SECRET,
        verifyToken: 'verify-instagram-please',
        graphBaseUrl: graph.baseUrl,
        graphVersion: graph.version,
        humanAgentTag: true,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.limits).toEqual({ humanAgentTag: true });
    graph.setWebhookUrls({ instagram: created.body.webhookUrl ?? '' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await signInThroughForm(page, h.url, account.admin.email, account.admin.password);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await graph?.close();
    await h?.close();
  });

  it('offers the tag two days after the customer wrote, and the Graph API receives it', async () => {
    const { igsid, ticketId } = await customerWhoWrote(2 * DAY);
    // Like Instagram, the fake now takes only replies tagged HUMAN_AGENT from this customer.
    graph.controls.setInstagramWindow(igsid, 'human-agent');
    await openTicket(ticketId);
    const option = page.getByRole('checkbox', { name: CHECKBOX });
    await option.waitFor();
    expect(await option.isChecked()).toBe(false);
    await option.check();
    await page.locator('.composer-text').fill('Your order left the warehouse this morning.');
    await page.screenshot({ path: screenshotPath('instagram-human-agent-option') });
    await page.getByRole('button', { name: /^Send/ }).click();

    const sent = await until(async () => {
      await h.deps.queue.idle();
      return graph.instagram.sent.find((message) => message.recipientId === igsid);
    }, 'the reply at the Graph API');
    expect(sent).toMatchObject({
      text: 'Your order left the warehouse this morning.',
      tag: 'HUMAN_AGENT',
      messagingType: 'MESSAGE_TAG',
    });
    const messages = await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticketId}/messages`);
    const reply = messages.body.messages.find((message) => message.author?.kind === 'agent');
    expect(reply?.meta).toMatchObject({ humanAgentTag: true });
    await eventually(() => page.locator('.composer-text').inputValue()).toBe('');
  });

  it('does not offer it inside the 24-hour window, nor after 7 days, nor for an internal note', async () => {
    const recent = await customerWhoWrote(60 * 60 * 1000);
    await openTicket(recent.ticketId);
    await expect(page.locator('.composer-banner').count()).resolves.toBe(0);
    expect(await page.getByRole('checkbox', { name: CHECKBOX }).count()).toBe(0);

    const old = await customerWhoWrote(8 * DAY);
    await openTicket(old.ticketId);
    await page.locator('.composer-banner').waitFor();
    expect(await page.getByRole('checkbox', { name: CHECKBOX }).count()).toBe(0);

    const within = await customerWhoWrote(3 * DAY);
    await openTicket(within.ticketId);
    await page.getByRole('checkbox', { name: CHECKBOX }).waitFor();
    await page.getByRole('radio', { name: 'Internal note' }).click();
    await eventually(() => page.getByRole('checkbox', { name: CHECKBOX }).count()).toBe(0);
  });

  it('does not offer it once an admin turns the tag off for the channel, without signing in again', async () => {
    const list = await agent.request<{ channels: Channel[] }>('GET', '/api/channels');
    const channel = list.body.channels[0]!;
    const changed = await agent.request<Channel>('PATCH', `/api/channels/${channel.id}`, {
      config: { humanAgentTag: false },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.limits).toEqual({ humanAgentTag: false });
    const { ticketId } = await customerWhoWrote(2 * DAY);
    await openTicket(ticketId);
    await page.locator('.composer-banner').waitFor();
    await eventually(() => page.getByRole('checkbox', { name: CHECKBOX }).count()).toBe(0);
  });
});
