// Screenshot redaction in a real Chromium: an agent pastes a screenshot with an e-mail address
// and a phone number into the composer, opens the redaction editor, draws and undoes a box,
// detects the personal data, covers it, applies, and sends it on the webchat. The customer's
// copy, fetched as the widget fetches it, is solid fill where the data was and unchanged
// elsewhere. Then an admin deletes the sent image and the thread keeps a tombstone.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Ticket } from '../../src/shared/api-schemas.js';
import type { VisitorMessage } from '../../src/shared/webchat-api.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { builtWebRoot, signInThroughForm } from '../support/agent-app.js';
import { eventually } from '../support/agent-app-expect.js';
import { screenshotWithPersonalData, type PlantedText } from '../support/agent-app-images.js';
import {
  createWebchatHarness,
  visitorClient,
  type VisitorClient,
  type WebchatSetup,
} from '../webchat/support.js';

const run = hasChromium() ? describe : describe.skip;

interface Pixels {
  data: Buffer;
  width: number;
  channels: number;
}

async function pixelsOf(bytes: Buffer): Promise<Pixels> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, channels: info.channels };
}

const at = (image: Pixels, x: number, y: number) => {
  const offset = (y * image.width + x) * image.channels;
  return [image.data[offset] ?? 0, image.data[offset + 1] ?? 0, image.data[offset + 2] ?? 0];
};
const isDark = ([r, g, b]: number[]) => (r ?? 0) + (g ?? 0) + (b ?? 0) < 200;
const isFill = ([r, g, b]: number[]) => (r ?? 255) <= 8 && (g ?? 255) <= 8 && (b ?? 255) <= 8;

/** The tight box around the glyphs of a planted line, measured on the original image. */
function glyphBox(image: Pixels, planted: PlantedText) {
  let left = Infinity;
  let right = -1;
  let top = Infinity;
  let bottom = -1;
  const { box } = planted;
  for (let y = box.y; y < box.y + box.height; y++)
    for (let x = box.x; x < box.x + box.width; x++)
      if (isDark(at(image, x, y))) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
  return { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

function share(
  image: Pixels,
  box: { x: number; y: number; width: number; height: number },
  test: (rgb: number[]) => boolean,
) {
  let hits = 0;
  for (let y = box.y; y < box.y + box.height; y++)
    for (let x = box.x; x < box.x + box.width; x++) if (test(at(image, x, y))) hits++;
  return hits / (box.width * box.height);
}

run('agent app: redacting a screenshot before it is sent', () => {
  let setup: WebchatSetup;
  let visitor: VisitorClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ticket: Ticket;
  let screenshot: Awaited<ReturnType<typeof screenshotWithPersonalData>>;
  let originalId: string;

  beforeAll(async () => {
    const webRoot = await builtWebRoot();
    setup = await createWebchatHarness({ harness: { webRoot } });
    visitor = visitorClient(setup.h, setup.channel.id);
    await visitor.start({ name: 'Maria Silva' });
    const sent = await visitor.send('Hi! Can you check my order? I will send a screenshot of the chat.');
    expect(sent.status).toBe(201);
    const tickets = await setup.agent.request<{ tickets: Ticket[] }>('GET', '/api/tickets');
    ticket = tickets.body.tickets[0] as Ticket;
    screenshot = await screenshotWithPersonalData();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await setup?.h.close();
  });

  it('suggests a review of a pasted screenshot once the scan finds personal data', async () => {
    await signInThroughForm(page, setup.h.url, setup.account.admin.email, setup.account.admin.password);
    await page.goto(`${setup.h.url}/tickets/${ticket.id}`);
    await page.locator('.composer-text').focus();
    await page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
      const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      document.querySelector('.composer-text')?.dispatchEvent(event);
    }, screenshot.png.toString('base64'));
    await page.locator('.chip[data-upload-status="ready"]').waitFor({ timeout: 15_000 });
    // The scan starts by itself for a PNG; its findings show on the chip and among the hints.
    const action = page.locator('.chip .redact-action');
    await eventually(() => action.getAttribute('data-findings'), { timeout: 90_000 }).toBe('2');
    await expect(page.locator('.redact-notice').textContent()).resolves.toContain(
      '2 items of personal data found',
    );
  }, 120_000);

  it('draws, deletes and undoes a box with the mouse and the keyboard', async () => {
    await page.locator('.redact-notice button').click();
    const dialog = page.getByRole('dialog', { name: 'Redact personal data' });
    await dialog.waitFor();
    const surface = dialog.locator('.redact-surface');
    await eventually(() =>
      surface.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
    ).toBe(1200);
    const frame = await surface.boundingBox();
    if (!frame) throw new Error('no surface');
    const scale = frame.width / 1200;
    // Draw over "Delivered yesterday" (x 80–420, y 675–705 in image pixels).
    await page.mouse.move(frame.x + 76 * scale, frame.y + 668 * scale);
    await page.mouse.down();
    await page.mouse.move(frame.x + 300 * scale, frame.y + 690 * scale, { steps: 4 });
    await page.mouse.move(frame.x + 424 * scale, frame.y + 710 * scale, { steps: 4 });
    await page.mouse.up();
    const boxes = dialog.locator('.redact-box');
    await eventually(() => boxes.count()).toBe(1);
    const label = await boxes.first().getAttribute('aria-label');
    // Drawn at display size, kept in image pixels (within a pixel of where the pointer went).
    const [, width, height, x, y] = /(\d+) × (\d+) px at (\d+), (\d+)/.exec(label ?? '')?.map(Number) ?? [];
    expect(Math.abs((x ?? 0) - 76)).toBeLessThanOrEqual(2);
    expect(Math.abs((y ?? 0) - 668)).toBeLessThanOrEqual(2);
    expect(Math.abs((width ?? 0) - 348)).toBeLessThanOrEqual(3);
    expect(Math.abs((height ?? 0) - 42)).toBeLessThanOrEqual(3);
    // The new box has the focus: Shift+arrow moves it by 10 px, Delete removes it.
    await eventually(() => boxes.first().evaluate((element) => element === document.activeElement)).toBe(
      true,
    );
    await page.keyboard.press('Shift+ArrowRight');
    await expect(boxes.first().getAttribute('aria-label')).resolves.toContain(`at ${(x ?? 0) + 10}, ${y}`);
    await page.keyboard.press('Delete');
    await eventually(() => boxes.count()).toBe(0);
    await page.keyboard.press('Control+z');
    await eventually(() => boxes.count()).toBe(1);
    await dialog.getByRole('button', { name: 'Undo' }).click();
    await page.keyboard.press('Control+z');
    await eventually(() => boxes.count()).toBe(0);
    await expect(dialog.getByRole('button', { name: 'Undo' }).isDisabled()).resolves.toBe(true);
    // Without a pointer: N adds a box in the middle (240 × 76 of 1200 × 760), Alt+arrows resize it.
    await page.keyboard.press('n');
    await eventually(() => boxes.count()).toBe(1);
    await eventually(() => boxes.first().evaluate((element) => element === document.activeElement)).toBe(
      true,
    );
    await expect(boxes.first().getAttribute('aria-label')).resolves.toBe('Box 1: 240 × 76 px at 480, 342');
    await page.keyboard.press('Alt+Shift+ArrowRight');
    await page.keyboard.press('Alt+ArrowDown');
    await expect(boxes.first().getAttribute('aria-label')).resolves.toBe('Box 1: 250 × 77 px at 480, 342');
    await page.keyboard.press('Delete');
    await eventually(() => boxes.count()).toBe(0);
  });

  it('covers the detected e-mail address and phone number and swaps in the redacted copy', async () => {
    const dialog = page.getByRole('dialog', { name: 'Redact personal data' });
    const items = dialog.locator('.redact-proposal-item');
    await eventually(() => items.count()).toBe(2);
    expect(
      (await items.evaluateAll((list) => list.map((item) => item.getAttribute('data-kind')))).sort(),
    ).toEqual(['email', 'phone']);
    await expect(
      dialog.locator('.redact-proposal[data-kind="email"] .redact-tag').textContent(),
    ).resolves.toBe('Email');
    await page.screenshot({ path: screenshotPath('redaction-1-proposals') });
    // Dismiss one, then take it back with undo; "cover all" covers both.
    await dialog.getByRole('button', { name: /^Dismiss Phone/ }).click();
    await eventually(() => items.locator('[data-decision="dismissed"]').count()).toBe(0);
    await eventually(() => dialog.locator('.redact-proposal-item[data-decision="dismissed"]').count()).toBe(
      1,
    );
    await page.keyboard.press('Control+z');
    await eventually(() => dialog.locator('.redact-proposal-item[data-decision="pending"]').count()).toBe(2);
    await dialog.getByRole('button', { name: 'Cover all 2 suggestions' }).click();
    await eventually(() => dialog.locator('.redact-box').count()).toBe(2);
    await page.screenshot({ path: screenshotPath('redaction-2-covered') });

    const chip = page.locator('.chip');
    originalId = (await chip.getAttribute('data-attachment-id')) ?? '';
    expect(originalId).not.toBe('');
    // Enter applies.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    await chip.locator('[data-testid="redacted-badge"]').waitFor();
    expect(await chip.locator('[data-testid="redacted-badge"]').textContent()).toBe('Redacted');
    // The chip's preview is of the redacted image, never the original again.
    await expect(chip.locator('.chip-preview img').getAttribute('src')).resolves.toMatch(/^blob:/);
    const redactedId = await chip.getAttribute('data-attachment-id');
    expect(redactedId).not.toBe(originalId);
    expect(await page.locator('.redact-notice').count()).toBe(0);
    // The original draft was discarded.
    const original = await setup.agent.request('GET', `/api/attachments/${originalId}/content`);
    expect(original.status).toBe(404);
    await page.screenshot({ path: screenshotPath('redaction-3-chip') });
  });

  it('sends the redacted copy: the customer receives fill colour where the data was', async () => {
    await page.locator('.composer-text').fill('Here is your screenshot with your contact details hidden.');
    await page.keyboard.press('Control+Enter');
    await eventually(() => page.locator('.chip').count()).toBe(0);

    let reply: VisitorMessage | undefined;
    await eventually(
      async () => {
        const page = await visitor.messages();
        reply = page.messages.find((message) => message.from === 'agent' && message.attachments[0]?.url);
        return reply !== undefined;
      },
      { timeout: 30_000 },
    ).toBe(true);
    const attachment = reply?.attachments[0];
    expect(attachment?.name).toMatch(/^Screenshot .*\.png$/);
    // A signed link of our origin, as the widget loads it.
    const received = await fetch(attachment?.url ?? '');
    expect(received.status).toBe(200);
    const copy = await pixelsOf(Buffer.from(await received.arrayBuffer()));
    const source = await pixelsOf(screenshot.png);
    expect(copy.width).toBe(source.width);
    for (const planted of screenshot.planted) {
      const glyphs = glyphBox(source, planted);
      expect(glyphs.width).toBeGreaterThan(200);
      // Every pixel where the text was is the fill colour.
      expect(share(copy, glyphs, isFill)).toBeGreaterThan(0.99);
      // The original had the text there, not a solid block.
      expect(share(source, glyphs, isFill)).toBeLessThan(0.5);
    }
    // The rest of the picture is as it was: the line above the e-mail address, untouched.
    const above = { x: 120, y: 180, width: 500, height: 40 };
    expect(share(copy, above, isFill)).toBeLessThan(0.5);
    expect(share(copy, above, isDark)).toBeCloseTo(share(source, above, isDark), 1);
  });

  it('lets an admin redact the sent image in place with the same editor', async () => {
    const media = page.locator('.message.outbound .media-moderated').last();
    await media.locator('.media-thumb img').waitFor({ timeout: 15_000 });
    // The thread says the copy was redacted before it was sent.
    expect(await media.locator('.removal-note').textContent()).toBe('Redacted before sending');
    await media.hover();
    await page.screenshot({ path: screenshotPath('redaction-4-thread-actions') });
    await media.getByRole('button', { name: /^Redact .* for everyone$/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Redact personal data' });
    await dialog.waitFor();
    const surface = dialog.locator('.redact-surface');
    await eventually(() =>
      surface.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
    ).toBe(1200);
    const frame = await surface.boundingBox();
    if (!frame) throw new Error('no surface');
    const scale = frame.width / 1200;
    // Cover the order number in the header too.
    await page.mouse.move(frame.x + 330 * scale, frame.y + 20 * scale);
    await page.mouse.down();
    await page.mouse.move(frame.x + 520 * scale, frame.y + 66 * scale, { steps: 4 });
    await page.mouse.up();
    await page.screenshot({ path: screenshotPath('redaction-5-editor-in-thread') });
    await dialog.getByRole('button', { name: 'Replace with 1 box' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    const note = media.locator('.removal-note');
    await note.waitFor({ timeout: 15_000 });
    expect(await note.textContent()).toMatch(/^Redacted by .+ · /);
    // The thread fetches the new bytes instead of the cached old ones.
    await eventually(() => media.locator('.media-thumb img').getAttribute('src'), {
      timeout: 15_000,
    }).toMatch(/\/thumbnail\?v=\d+$/);
    await page.screenshot({ path: screenshotPath('redaction-5-redacted-in-place') });
  }, 90_000);

  it('lets an admin delete the sent image after a confirmation, leaving a tombstone', async () => {
    const media = page.locator('.message.outbound .media-moderated').last();
    await media.hover();
    await media.getByRole('button', { name: /^Delete / }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete this file?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Delete file' }).click();
    const tombstone = page.locator('.message.outbound .media-tombstone').last();
    await tombstone.waitFor();
    expect(await tombstone.textContent()).toMatch(/Deleted by .+ · /);
    await page.screenshot({ path: screenshotPath('redaction-6-tombstone') });
    const messages = await setup.agent.request<{ messages: Array<{ attachments: Attachment[] }> }>(
      'GET',
      `/api/tickets/${ticket.id}/messages`,
    );
    const deleted = messages.body.messages
      .flatMap((message) => message.attachments)
      .find((item) => item.removal);
    expect(deleted).toMatchObject({ state: 'deleted', url: null, removal: { action: 'deleted' } });
  });
});
