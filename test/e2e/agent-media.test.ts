// The agent app in a real Chromium: sign in, open a ticket, attach images with the picker
// and by pasting a screenshot, send them with a caption, see them inline, page through
// them in the viewer and download one; a customer's image arrives live.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, buildAgent, createHarness, type Harness } from '../support/harness.js';
import {
  builtWebRoot,
  createTestChannel,
  deliverInbound,
  signInThroughForm,
  startMediaHost,
  ticketOf,
  type MediaHost,
  type TestChannel,
} from '../support/agent-app.js';
import { eventually } from '../support/agent-app-expect.js';
import { photo, screenshotPng, webp } from '../support/agent-app-images.js';
import { createTestAdapter, type TestAdapterControl } from '../support/test-adapter.js';
import type { TestAccount } from '../support/harness.js';

const run = hasChromium() ? describe : describe.skip;

let h: Harness;
let account: TestAccount;
let client: Client;
let media: MediaHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let whatsapp: TestChannel;
let control: TestAdapterControl;
const customer = { from: '+5511987650001', name: 'Ana Ribeiro' };

async function seedInbox(channels: Record<'sms' | 'instagram' | 'email', TestChannel>) {
  const shoe = media.put('shoe.jpg', await photo(1200, 900), 'image/jpeg');
  await deliverInbound(h, channels.sms, [
    { from: '+14155550123', name: 'Marcus Chen', text: 'Hi, my package says delivered but it is not here.' },
  ]);
  await deliverInbound(h, channels.instagram, [
    {
      from: 'ig-88123',
      name: 'Lena Fischer',
      text: '',
      media: [{ url: shoe, type: 'image/jpeg', name: 'IMG_2291.jpg' }],
    },
  ]);
  await deliverInbound(h, channels.email, [
    {
      from: 'priya@example.com',
      name: 'Priya Natarajan',
      text: 'Can I change the delivery address for order 4410?',
    },
  ]);
  await deliverInbound(h, channels.sms, [
    { from: '+14155550188', name: 'Jordan Blake', text: 'Do you ship to Canada? Thanks!' },
  ]);
}

run('agent app: media in the thread and the composer', () => {
  beforeAll(async () => {
    const webRoot = await builtWebRoot();
    const adapters = {
      whatsapp: createTestAdapter('whatsapp'),
      sms: createTestAdapter('sms'),
      instagram: createTestAdapter('instagram'),
      email: createTestAdapter('email'),
    };
    control = adapters.whatsapp.control;
    h = await createHarness({ adapters: Object.values(adapters).map((item) => item.adapter), webRoot });
    media = await startMediaHost();
    account = await buildAccount(h, 'Northwind');
    client = await signIn(h, account.admin.email, account.admin.password);
    await buildAgent(h, account);
    whatsapp = await createTestChannel(client, 'whatsapp', 'Support WhatsApp');
    const channels = {
      sms: await createTestChannel(client, 'sms', 'US SMS line'),
      instagram: await createTestChannel(client, 'instagram', '@northwind'),
      email: await createTestChannel(client, 'email', 'help@northwind.test'),
    };
    await seedInbox(channels);
    const broken = media.put('broken-mug.jpg', await photo(1600, 1200), 'image/jpeg');
    await deliverInbound(h, whatsapp, [
      { ...customer, text: 'Hello! My order arrived today but the mug is broken 😞' },
      { ...customer, text: '', media: [{ url: broken, type: 'image/jpeg', name: 'broken-mug.jpg' }] },
    ]);
    await h.deps.queue.idle();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await media?.close();
    await h?.close();
  });

  it('signs in and lands on the inbox with every ticket and its media marker', async () => {
    await signInThroughForm(page, h.url, account.admin.email, account.admin.password, {
      screenshot: screenshotPath('agent-login'),
    });
    expect(new URL(page.url()).pathname).toBe('/');
    await page.waitForSelector('.shell[data-live="open"]');
    const rows = page.locator('.ticket-row');
    await eventually(() => rows.count()).toBe(5);
    const first = rows.first();
    await eventually(() => first.locator('.ticket-contact').textContent()).toBe('Ana Ribeiro');
    // The newest message of Ana's ticket is an image: the row shows a paperclip and its name.
    expect(await first.locator('.preview-attachment').textContent()).toContain('broken-mug.jpg');
    expect(await first.locator('.status-badge').textContent()).toBe('Open');
    await page.screenshot({ path: screenshotPath('agent-inbox') });
  });

  it('opens a ticket with the customer image inline, sized before it loads', async () => {
    await page.locator('.ticket-row', { hasText: 'Ana Ribeiro' }).click();
    await page.waitForURL(/\/tickets\//);
    const thumb = page.locator('.message.inbound .media-thumb').first();
    await thumb.waitFor();
    const box = await thumb.boundingBox();
    // 1600×1200 fits a 320×260 box at 4:3: 320×240 from the dimensions alone.
    expect(box).toMatchObject({ width: 320, height: 240 });
    await eventually(() =>
      thumb.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBeGreaterThan(0);
  });

  it('attaches two images with the picker and a pasted screenshot, shows hints, and sends with a caption', async () => {
    const picked = [
      { name: 'replacement-mug.jpg', mimeType: 'image/jpeg', buffer: await photo(2000, 1500) },
      { name: 'packing.webp', mimeType: 'image/webp', buffer: await webp() },
    ];
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Attach files' }).click(),
    ]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles(picked);

    const screenshot = await screenshotPng();
    await page.locator('.composer-text').focus();
    await page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
      const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      document.querySelector('.composer-text')?.dispatchEvent(event);
    }, screenshot.toString('base64'));

    const chips = page.locator('.chip');
    await eventually(() => chips.count()).toBe(3);
    await eventually(() => page.locator('.chip[data-upload-status="ready"]').count(), {
      timeout: 15_000,
    }).toBe(3);
    expect(await chips.nth(2).locator('.chip-name').textContent()).toMatch(
      /^Screenshot \d{4}-\d\d-\d\d .*\.png$/,
    );
    // Media without a word gets a gentle nudge.
    expect(await page.locator('.hint.nudge').textContent()).toContain(
      'add a short explanation'.replace('add', 'Add'),
    );
    // WhatsApp: JPEG and PNG go as they are, WebP is converted; one file per message.
    expect(await chips.nth(0).locator('.chip-hint').getAttribute('data-action')).toBe('send');
    expect(await chips.nth(1).locator('.chip-hint').textContent()).toBe('Converted to JPEG');
    expect(await chips.nth(2).locator('.chip-hint').textContent()).toBe('Sent as is');

    await page
      .locator('.composer-text')
      .fill('Here is the replacement we are sending, and the screenshot of your order.');
    expect(await page.locator('.hint.nudge').count()).toBe(0);
    const notes = await page.locator('.composer-hints .hint').allTextContents();
    expect(notes.join(' ')).toContain('Goes out as 3 messages on WhatsApp');
    expect(notes.join(' ')).toContain('caption');
    await page.screenshot({ path: screenshotPath('agent-composer-hints') });

    await page.keyboard.press('Control+Enter');
    await eventually(() => chips.count()).toBe(0);
    await eventually(() => control.sent.length, { timeout: 15_000 }).toBe(1);
    const sent = control.sent[0];
    expect(sent?.message.text).toContain('replacement');
    expect(sent?.message.attachments.length).toBe(3);
  });

  it('shows the sent images inline with thumbnails and the delivery status', async () => {
    const outbound = page.locator('.message.outbound').last();
    await eventually(() => outbound.locator('.media-thumb img').count(), { timeout: 15_000 }).toBe(3);
    for (const img of await outbound.locator('.media-thumb img').all()) {
      await eventually(() =>
        img.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth),
      ).toBeGreaterThan(0);
      expect(await img.getAttribute('src')).toMatch(/\/thumbnail$/);
      expect(await img.getAttribute('alt')).toBeTruthy();
    }
    await eventually(() => outbound.locator('.delivery').getAttribute('data-status'), {
      timeout: 15_000,
    }).toBe('sent');
    await page.screenshot({ path: screenshotPath('agent-thread-media') });
  });

  it('opens the viewer, goes next and previous with the keyboard, downloads the original, and closes with Esc', async () => {
    const outbound = page.locator('.message.outbound').last();
    const firstThumb = outbound.locator('.media-thumb').first();
    await firstThumb.click();
    const viewer = page.getByRole('dialog');
    await viewer.waitFor();
    // All media of the ticket: the customer's photo, then the three sent.
    expect(await viewer.locator('.lightbox-counter').textContent()).toBe('2 of 4');
    expect(await viewer.locator('.lightbox-name').textContent()).toBe('replacement-mug.jpg');
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Close (Esc)',
    );
    await page.keyboard.press('ArrowRight');
    expect(await viewer.locator('.lightbox-name').textContent()).toBe('packing.webp');
    await page.keyboard.press('ArrowRight');
    expect(await viewer.locator('.lightbox-counter').textContent()).toBe('4 of 4');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await viewer.locator('.lightbox-name').textContent()).toBe('replacement-mug.jpg');
    await page.getByRole('button', { name: 'Next (→)' }).click();
    await page.getByRole('button', { name: 'Previous (←)' }).click();
    expect(await viewer.locator('.lightbox-counter').textContent()).toBe('2 of 4');

    await page.getByRole('button', { name: 'Zoom in (+)' }).click();
    expect(await viewer.locator('.lightbox-zoom').textContent()).toBe('150%');
    await page.keyboard.press('0');
    await eventually(() =>
      viewer.locator('.lightbox-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
    ).toBe(2000);
    await page.screenshot({ path: screenshotPath('agent-viewer') });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      viewer.getByRole('link', { name: 'Download replacement-mug.jpg' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('replacement-mug.jpg');
    const bytes = await readFile((await download.path()) as string);
    const original = await photo(2000, 1500);
    expect(bytes.equals(original)).toBe(true);

    await page.keyboard.press('Escape');
    await eventually(() => page.getByRole('dialog').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Open replacement-mug.jpg',
    );
  });

  it('shows an inbound image live, without a reload, in the open thread and the inbox', async () => {
    const before = await page.evaluate(() => performance.getEntriesByType('navigation').length);
    const receipt = media.put('receipt.jpg', await photo(800, 1100), 'image/jpeg');
    await deliverInbound(h, whatsapp, [
      {
        ...customer,
        text: 'And this is the receipt',
        media: [{ url: receipt, type: 'image/jpeg', name: 'receipt.jpg' }],
      },
    ]);
    const message = page.locator('.message.inbound', { hasText: 'And this is the receipt' });
    await message.waitFor({ timeout: 15_000 });
    const thumb = message.locator('.media-thumb img');
    await thumb.waitFor({ timeout: 15_000 });
    await eventually(() =>
      thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
    ).toBeGreaterThan(0);
    expect(await page.locator('.ticket-row').first().locator('.ticket-contact').textContent()).toBe(
      'Ana Ribeiro',
    );
    expect(await page.locator('.ticket-row').first().locator('.ticket-preview').textContent()).toContain(
      'receipt',
    );

    // A new customer on another channel: a new ticket at the top of the inbox.
    await deliverInbound(h, whatsapp, [
      { from: '+5521999990002', name: 'Bruno Alves', text: 'Olá, vocês abrem no sábado?' },
    ]);
    await eventually(() => page.locator('.ticket-row').first().locator('.ticket-contact').textContent(), {
      timeout: 15_000,
    }).toBe('Bruno Alves');
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(before);
    expect(await ticketOf(h, whatsapp.channel.id, '+5521999990002')).toBeTruthy();
  });

  it('reaches a ticket, a picture and the viewer with the keyboard alone', async () => {
    await page.goto(`${h.url}/`);
    await page.locator('.ticket-row').first().waitFor();
    const tabUntil = async (matches: () => Promise<boolean>) => {
      for (let step = 0; step < 80; step++) {
        await page.keyboard.press('Tab');
        if (await matches()) return;
      }
      throw new Error('Focus never got there');
    };
    await tabUntil(() =>
      page.evaluate(() => document.activeElement?.textContent?.includes('Ana Ribeiro') === true),
    );
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/tickets\//);
    await page.locator('.media-thumb').first().waitFor();
    await tabUntil(() =>
      page.evaluate(() => document.activeElement?.classList.contains('media-thumb') === true),
    );
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await eventually(() => page.getByRole('dialog').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('media-thumb'))).toBe(true);
  });

  it('lays the contact panel beside the thread on a wide screen', async () => {
    await page.setViewportSize({ width: 1680, height: 1000 });
    const panel = page.getByRole('complementary', { name: 'Contact' });
    if ((await panel.count()) === 0) await page.getByRole('button', { name: 'Contact details' }).click();
    await panel.waitFor();
    await eventually(() => panel.locator('.identity-list').textContent()).toContain(customer.from);
    const thread = await page.locator('.thread-scroll').boundingBox();
    const side = await panel.boundingBox();
    // Beside, not over: the thread ends where the panel starts.
    expect(Math.round((thread?.x ?? 0) + (thread?.width ?? 0))).toBeLessThanOrEqual(Math.round(side?.x ?? 0));
    await page.screenshot({ path: screenshotPath('agent-thread-wide') });
  });
});
