// A visitor sends an iPhone photo (HEIC) from a browser that cannot draw HEIC: while it
// uploads the widget shows a file badge instead of a broken picture, then the server's
// thumbnail, and the viewer opens the display-size copy; the agent sees the thumbnail too.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/api-schemas.js';
import { webchatAdapter, webchatRoutes } from '../../src/server/channels/webchat/webchat-channel.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { heifConvert, heifEnc, makeHeic } from '../support/heic.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { createWebchatChannel } from '../webchat/support.js';
import { buildWidget, openAgentSocket, type AgentSocket } from './webchat-support.js';

const run = hasChromium() && heifEnc && heifConvert ? describe : describe.skip;

run("a visitor's HEIC photo in the widget", () => {
  let h: Harness;
  let widget: Awaited<ReturnType<typeof buildWidget>>;
  let browser: Browser;
  let page: Page;
  let agent: Client;
  let agentSocket: AgentSocket;

  beforeAll(async () => {
    widget = await buildWidget();
    h = await createHarness({
      adapters: [webchatAdapter()],
      extraRoutes: [webchatRoutes({ widgetFile: widget.file })],
    });
    const account = await buildAccount(h);
    agent = await signIn(h, account.admin.email, account.admin.password);
    await createWebchatChannel(agent, { title: { en: 'Lumen Coffee' } });
    agentSocket = await openAgentSocket(h, agent);
    browser = await launchBrowser();
    page = await (
      await browser.newContext({ viewport: { width: 1100, height: 820 }, locale: 'en-US' })
    ).newPage();
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    agentSocket?.close();
    await browser?.close();
    await h?.close();
    await widget?.dispose();
  });

  it('shows a badge while uploading, then the thumbnail, and opens the display copy', async () => {
    await page.goto(`${h.url}/demo`);
    await page.locator('#switchboard-chat .sb-launcher').click();
    const panel = page.locator('#switchboard-chat .sb-panel');
    await panel
      .locator('.sb-file-input')
      .setInputFiles([{ name: 'IMG_4032.HEIC', mimeType: 'image/heic', buffer: await makeHeic(1200, 900) }]);
    // The chip: a badge with the name, never an <img> of bytes the browser cannot draw.
    const chip = panel.locator('.sb-drafts .sb-pending');
    await chip.waitFor();
    expect(await chip.locator('img').count()).toBe(0);
    expect(await chip.locator('.sb-pending-name').textContent()).toBe('IMG_4032.HEIC');
    await panel.locator('.sb-input').fill('This is how it arrived');
    await panel.locator('.sb-input').press('Enter');

    const created = await agentSocket.waitFor(
      (event) =>
        event.type === 'message.created' &&
        (event.data as { message: Message }).message.text === 'This is how it arrived',
    );
    const sent = (created.data as { message: Message }).message;
    expect(sent.attachments[0]).toMatchObject({ contentType: 'image/heic', name: 'IMG_4032.HEIC' });

    // In the thread: the server's thumbnail, drawn (a broken image has no natural width).
    const image = panel.locator(`[data-message-id="${sent.id}"] .sb-image img`);
    await expect
      .poll(() => image.getAttribute('src').catch(() => null), { timeout: 20_000 })
      .toMatch(/\/media\/[\w-]+\/thumbnail\//);
    await page.waitForFunction((id) => {
      const img = document
        .querySelector('#switchboard-chat')
        ?.shadowRoot?.querySelector(`[data-message-id="${id}"] .sb-image img`);
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    }, sent.id);

    // The viewer opens the display-size copy (WebP), which the browser draws.
    await panel.locator(`[data-message-id="${sent.id}"] .sb-image`).click();
    const viewer = page.locator('#switchboard-chat .sb-viewer-img');
    await expect
      .poll(() => viewer.getAttribute('src'), { timeout: 20_000 })
      .toMatch(/\/media\/[\w-]+\/preview\//);
    await page.waitForFunction(() => {
      const img = document.querySelector('#switchboard-chat')?.shadowRoot?.querySelector('.sb-viewer-img');
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    });
    await page.waitForTimeout(300); // the viewer fades in
    await page.screenshot({ path: screenshotPath('webchat-visitor-heic-viewer') });
  });
});
