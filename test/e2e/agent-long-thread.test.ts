// A ticket with 2,000 messages (300 of them with an image) opens at the newest message with
// only a screenful rendered, and scrolls back page by page to the very first message.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  builtWebRoot,
  createTestChannel,
  deliverInbound,
  processedUpload,
  signInThroughForm,
  ticketOf,
  writeLongHistory,
  type TestChannel,
} from '../support/agent-app.js';
import { eventually } from '../support/agent-app-expect.js';
import { photo } from '../support/agent-app-images.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { signIn } from '../support/client.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { createTestAdapter } from '../support/test-adapter.js';

const run = hasChromium() ? describe : describe.skip;
const FIRST = 'First message of the long conversation: my order never arrived.';
const NEWEST = 'Newest message: any update today?';

let h: Harness;
let browser: Browser;
let page: Page;
let ticketId: string;
let sms: TestChannel;

const inViewport = (page: Page, text: string) =>
  page.evaluate((wanted) => {
    const scroller = document.querySelector('.thread-scroll');
    const element = Array.from(document.querySelectorAll('.message-text')).find(
      (node) => node.textContent === wanted,
    );
    if (!scroller || !element) return false;
    const outer = scroller.getBoundingClientRect();
    const inner = element.getBoundingClientRect();
    return inner.top >= outer.top - 1 && inner.bottom <= outer.bottom + 1;
  }, text);

run('agent app: a ticket with a long history', () => {
  beforeAll(async () => {
    const webRoot = await builtWebRoot();
    h = await createHarness({ adapters: [createTestAdapter('sms').adapter], webRoot });
    const account = await buildAccount(h, 'Longhaul');
    const client = await signIn(h, account.admin.email, account.admin.password);
    sms = await createTestChannel(client, 'sms', 'SMS');
    await deliverInbound(h, sms, [{ from: '+14155550999', name: 'Casey Morgan', text: NEWEST }]);
    ticketId = await ticketOf(h, sms.channel.id, '+14155550999');
    const template = await processedUpload(h, client, {
      name: 'photo.jpg',
      bytes: await photo(1200, 900),
      type: 'image/jpeg',
    });
    await writeLongHistory(h, {
      accountId: account.accountId,
      channelId: sms.channel.id,
      ticketId,
      messages: 1999,
      images: 300,
      imageTemplate: template,
      firstText: FIRST,
    });
    const count = await h.deps.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ticketId', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2000);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(10_000);
    await signInThroughForm(page, h.url, account.admin.email, account.admin.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('opens at the newest message with only a screenful of messages rendered', async () => {
    await page.goto(`${h.url}/tickets/${ticketId}`);
    await page.locator('.message-text', { hasText: NEWEST }).waitFor();
    await eventually(() => inViewport(page, NEWEST)).toBe(true);
    const rendered = await page.locator('.message').count();
    expect(rendered).toBeGreaterThan(3);
    expect(rendered).toBeLessThan(60);
    // Thumbnails in view are sized from the stored dimensions (1200×900 → 320×240).
    const thumb = page.locator('.media-thumb').last();
    await thumb.waitFor();
    expect(await thumb.boundingBox()).toMatchObject({ width: 320, height: 240 });
  });

  it('pages the viewer back past the media loaded so far', async () => {
    await page.locator('.media-thumb').last().click();
    const counter = page.locator('.lightbox-counter');
    await counter.waitFor();
    const parse = async () => {
      const [index, total] = ((await counter.textContent()) ?? '').split(' of ').map(Number);
      return { index: index ?? 0, total: total ?? 0 };
    };
    const first = await parse();
    expect(first.index).toBe(first.total);
    for (let step = 1; step < first.total; step++) await page.keyboard.press('ArrowLeft');
    expect((await parse()).index).toBe(1);
    // Going back from the oldest loaded picture fetches older messages and their media.
    await page.keyboard.press('ArrowLeft');
    await eventually(async () => (await parse()).total).toBeGreaterThan(first.total);
    const name = await page.locator('.lightbox-name').textContent();
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('.lightbox-name').textContent()).not.toBe(name);
    await page.keyboard.press('Escape');
    await page.goto(`${h.url}/tickets/${ticketId}`);
    await page.locator('.message-text', { hasText: NEWEST }).waitFor();
  });

  it('scrolls back through every page to the first message, keeping the order', async () => {
    const scroller = page.locator('.thread-scroll');
    for (let round = 0; round < 60; round++) {
      if ((await scroller.getAttribute('data-complete')) === 'true') break;
      const loaded = Number(await scroller.getAttribute('data-loaded'));
      await scroller.evaluate((element) => element.scrollBy(0, -element.scrollTop));
      await eventually(async () => Number(await scroller.getAttribute('data-loaded')), {
        timeout: 10_000,
      }).toBeGreaterThan(loaded);
    }
    expect(await scroller.getAttribute('data-complete')).toBe('true');
    expect(await scroller.getAttribute('data-loaded')).toBe('2000');
    await scroller.evaluate((element) => element.scrollTo(0, 0));
    await page.locator('.thread-start').waitFor();
    await eventually(() => inViewport(page, FIRST)).toBe(true);
    expect(await page.locator('.message').count()).toBeLessThan(60);
    const texts = await page.locator('.message-text').allTextContents();
    expect(texts[0]).toBe(FIRST);
    expect(texts[1]).toMatch(/^Reply 2:/);
    await page.screenshot({ path: screenshotPath('agent-long-thread-start') });
  });

  it('keeps the agent at the first message when a new one arrives, and offers a way down', async () => {
    await deliverInbound(h, sms, [{ from: '+14155550999', text: 'Hello? Anyone there?' }]);
    const pill = page.getByRole('button', { name: /1 new message/ });
    await pill.waitFor();
    expect(await inViewport(page, FIRST)).toBe(true);
    await pill.click();
    await eventually(() => inViewport(page, 'Hello? Anyone there?')).toBe(true);
    expect(await pill.count()).toBe(0);
  });
});
