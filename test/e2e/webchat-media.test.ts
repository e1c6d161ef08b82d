// The whole media flow in a real Chromium: a customer on the demo shop sends a photo and a
// PDF through the widget, the agent sees them live (thumbnail included) and replies with a
// photo and a caption, the customer sees it live, opens it full size, downloads it, and
// finds the conversation again after a reload. In the first test the agent's half goes through
// the public API and the agent socket, as the agent app does; a later one drives the real agent
// app in a second browser context, composer file input included.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Message, Ticket } from '../../src/shared/api-schemas.js';
import { webchatAdapter, webchatRoutes } from '../../src/server/channels/webchat/webchat-channel.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness, type TestAccount } from '../support/harness.js';
import { builtWebRoot, signInThroughForm } from '../support/agent-app.js';
import { eventually } from '../support/agent-app-expect.js';
import sharp from 'sharp';
import { jpeg, png } from '../support/images.js';
import { createWebchatChannel, tinyPdf } from '../webchat/support.js';
import { buildWidget, openAgentSocket, type AgentSocket } from './webchat-support.js';

const run = hasChromium() ? describe : describe.skip;

/** Noise does not compress: a PNG of about a megabyte, slow enough to watch it upload. */
async function noisePng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = seed >> 16;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

run('webchat end to end', () => {
  let h: Harness;
  let widget: Awaited<ReturnType<typeof buildWidget>>;
  let browser: Browser;
  let visitorContext: BrowserContext;
  let page: Page;
  let agent: Client;
  let account: TestAccount;
  let agentSocket: AgentSocket;

  beforeAll(async () => {
    widget = await buildWidget();
    h = await createHarness({
      adapters: [webchatAdapter()],
      extraRoutes: [webchatRoutes({ widgetFile: widget.file })],
      webRoot: await builtWebRoot(),
    });
    account = await buildAccount(h);
    agent = await signIn(h, account.admin.email, account.admin.password);
    await createWebchatChannel(agent, {
      title: { en: 'Lumen Coffee', 'pt-BR': 'Lumen Café' },
      greeting: {
        en: 'Hi! Questions about an order? Send us a photo and we will sort it out.',
        'pt-BR': 'Oi! Dúvidas sobre um pedido? Mande uma foto e a gente resolve.',
      },
      color: '#0f766e',
    });
    agentSocket = await openAgentSocket(h, agent);
    browser = await launchBrowser();
    visitorContext = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: 'en-US',
      acceptDownloads: true,
    });
    page = await visitorContext.newPage();
  }, 120_000);

  afterAll(async () => {
    agentSocket?.close();
    await browser?.close();
    await h?.close();
    await widget?.dispose();
  });

  it('carries media both ways, live, and keeps the conversation across a reload', async () => {
    await page.goto(`${h.url}/demo`);
    const launcher = page.locator('#switchboard-chat .sb-launcher');
    await launcher.waitFor({ state: 'visible' });
    await page.waitForTimeout(350); // let the bubble's entrance animation finish for the picture
    await page.screenshot({ path: screenshotPath('webchat-1-bubble') });

    await launcher.click();
    const panel = page.locator('#switchboard-chat .sb-panel');
    await expect(panel.locator('.sb-title').textContent()).resolves.toBe('Lumen Coffee');
    await expect(panel.locator('.sb-hint').textContent()).resolves.toBe(
      'Photos and files up to 25 MB · videos up to 100 MB',
    );

    // The customer attaches a photo and a PDF with the paper clip, and writes a caption.
    const photo = await jpeg(1024, 768);
    await panel.locator('.sb-file-input').setInputFiles([
      { name: 'broken-mug.jpg', mimeType: 'image/jpeg', buffer: photo },
      { name: 'receipt.pdf', mimeType: 'application/pdf', buffer: tinyPdf('Order 1234') },
    ]);
    await panel.locator('.sb-drafts .sb-pending').nth(1).waitFor();
    await panel.locator('.sb-input').fill('My mug arrived broken. Photo and receipt attached.');
    await panel.locator('.sb-input').press('Enter');

    // The agent sees the message live, then the photo's thumbnail once it is ready.
    const created = await agentSocket.waitFor(
      (event) =>
        event.type === 'message.created' &&
        (event.data as { message: Message }).message.text ===
          'My mug arrived broken. Photo and receipt attached.',
    );
    const inbound = (created.data as { message: Message }).message;
    expect(inbound.attachments.map((attachment) => attachment.name)).toEqual([
      'broken-mug.jpg',
      'receipt.pdf',
    ]);
    const imageId = inbound.attachments[0]!.id;
    // The thumbnail is announced with the message when it was made before the message was
    // sent, or by an attachment.ready event when it comes after.
    const ready = await agentSocket.waitFor(
      (event) =>
        ['message.created', 'message.updated', 'attachment.ready'].includes(event.type) &&
        JSON.stringify(event.data).includes(`/api/attachments/${imageId}/thumbnail`),
    );
    expect(ready).toBeTruthy();
    const thumbnail = await agent.request('GET', `/api/attachments/${imageId}/thumbnail`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    const tickets = await agent.request<{ tickets: Ticket[] }>('GET', '/api/tickets');
    const ticket = tickets.body.tickets.find((candidate) => candidate.id === inbound.ticketId)!;
    expect(ticket.channel.kind).toBe('webchat');
    expect(ticket.previewAttachment).toEqual({ name: 'broken-mug.jpg', count: 2 });

    // The agent replies with a photo and a caption; the customer sees it live.
    const replyPhoto = await jpeg(1200, 800);
    const upload = await agent.upload<{ attachments: Attachment[] }>([
      { name: 'replacement.jpg', bytes: replyPhoto, type: 'image/jpeg' },
    ]);
    const reply = await agent.request<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'So sorry! A new mug ships today. Here it is, packed with extra care.',
      attachmentIds: [upload.body.attachments[0]!.id],
    });
    expect(reply.status).toBe(201);
    const replyRow = panel.locator(`[data-message-id="${reply.body.id}"]`);
    const replyImage = replyRow.locator('.sb-image img');
    await replyImage.waitFor({ state: 'visible', timeout: 15_000 });
    await expect(replyImage.getAttribute('src')).resolves.toMatch(/\/media\/[\w-]+\/thumbnail\//);
    await expect(replyRow.locator('.sb-bubble').textContent()).resolves.toContain('A new mug ships today');
    // The optional name and e-mail, offered after the first message, reach the contact.
    const card = panel.locator('.sb-contact');
    await card.locator('input[type="text"]').fill('Marina Costa');
    await card.locator('input[type="email"]').fill('marina@example.com');
    await card.locator('button[type="submit"]').click();
    await expect(panel.locator('.sb-notice').textContent()).resolves.toContain('Thanks, Marina Costa!');
    const contact = await agent.request<{ name: string; email: string }>(
      'GET',
      `/api/contacts/${ticket.contact.id}`,
    );
    expect(contact.body).toMatchObject({ name: 'Marina Costa', email: 'marina@example.com' });

    await page.waitForFunction(() => {
      const images = document
        .querySelector('#switchboard-chat')
        ?.shadowRoot?.querySelectorAll('.sb-image img');
      return (
        images !== undefined &&
        images.length >= 2 &&
        [...images].every((image) => (image as HTMLImageElement).complete)
      );
    });
    await panel.locator('.sb-notice button').click();
    await page.screenshot({ path: screenshotPath('webchat-2-panel-thread') });

    // Seen by the customer: the agent's reply turns "read".
    await agentSocket.waitFor(
      (event) =>
        event.type === 'message.updated' &&
        (event.data as { message: Message }).message.id === reply.body.id &&
        (event.data as { message: Message }).message.status === 'read',
    );

    // Full size, then download.
    await replyRow.locator('.sb-image').click();
    const viewerImage = page.locator('#switchboard-chat .sb-viewer-img');
    await viewerImage.waitFor({ state: 'visible' });
    // The customer's copy of the agent's photo: prepared for sending, metadata stripped.
    await expect(viewerImage.getAttribute('src')).resolves.toMatch(/\/prepared-clean\//);
    await page.waitForFunction(() => {
      const image = document.querySelector('#switchboard-chat')?.shadowRoot?.querySelector('.sb-viewer-img');
      return image instanceof HTMLImageElement && image.complete && image.naturalWidth === 1200;
    });
    await page.waitForTimeout(300); // the viewer fades in
    await page.screenshot({ path: screenshotPath('webchat-3-viewer') });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#switchboard-chat .sb-viewer-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe('replacement.jpg');
    const saved = await download.path();
    expect((await readFile(saved)).equals(replyPhoto)).toBe(true);
    await page.keyboard.press('Escape');
    await page.locator('#switchboard-chat .sb-viewer').waitFor({ state: 'detached' });

    // A reload keeps the conversation (and the open panel).
    await page.reload();
    const again = page.locator('#switchboard-chat .sb-panel');
    await again.locator(`[data-message-id="${reply.body.id}"] .sb-image img`).waitFor({ state: 'visible' });
    const texts = await again.locator('.sb-bubble').allTextContents();
    expect(texts).toEqual(
      expect.arrayContaining([
        'My mug arrived broken. Photo and receipt attached.',
        'So sorry! A new mug ships today. Here it is, packed with extra care.',
      ]),
    );
    await expect(again.locator('.sb-file-name').first().textContent()).resolves.toBe('receipt.pdf');
  }, 120_000);

  it('takes files by drag and drop and by paste, and refuses what is over the limit before uploading', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'pt-BR' });
    try {
      const shop = await context.newPage();
      await shop.goto(`${h.url}/demo?lang=pt-BR`);
      await shop.locator('#switchboard-chat .sb-launcher').click();
      const panel = shop.locator('#switchboard-chat .sb-panel');
      await expect(panel.locator('.sb-title').textContent()).resolves.toBe('Lumen Café');
      await expect(panel.locator('.sb-input').getAttribute('placeholder')).resolves.toBe(
        'Escreva uma mensagem…',
      );

      const pngBase64 = (await png(240, 160)).toString('base64');
      await shop.evaluate((pngBase64) => {
        const root = document.querySelector('#switchboard-chat')?.shadowRoot;
        const target = root?.querySelector('.sb-panel');
        const input = root?.querySelector('.sb-input');
        if (!target || !input) throw new Error('widget not found');
        const dropped = new DataTransfer();
        dropped.items.add(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
        for (const type of ['dragenter', 'dragover', 'drop'])
          target.dispatchEvent(
            new DragEvent(type, { bubbles: true, cancelable: true, composed: true, dataTransfer: dropped }),
          );
        const pasted = new DataTransfer();
        const bytes = Uint8Array.from(atob(pngBase64), (c) => c.charCodeAt(0));
        pasted.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
        input.dispatchEvent(
          new ClipboardEvent('paste', {
            bubbles: true,
            cancelable: true,
            composed: true,
            clipboardData: pasted,
          }),
        );
        const huge = new DataTransfer();
        huge.items.add(new File([new Uint8Array(26 * 1024 * 1024)], 'huge.png', { type: 'image/png' }));
        target.dispatchEvent(
          new DragEvent('drop', { bubbles: true, cancelable: true, composed: true, dataTransfer: huge }),
        );
      }, pngBase64);
      await expect(panel.locator('.sb-drafts .sb-pending').count()).resolves.toBe(2);
      await expect(panel.locator('.sb-notice').textContent()).resolves.toContain(
        '“huge.png” tem mais de 25 MB',
      );
      await panel.locator('.sb-drafts .sb-progress').first().waitFor({ state: 'detached' });
      await expect(panel.locator('.sb-drafts .sb-pending-error').count()).resolves.toBe(0);

      // On a slow uplink the visitor watches the upload progress.
      const cdp = await context.newCDPSession(shop);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 20,
        downloadThroughput: -1,
        uploadThroughput: 256 * 1024,
      });
      await panel
        .locator('.sb-file-input')
        .setInputFiles([{ name: 'unboxing.png', mimeType: 'image/png', buffer: await noisePng(720, 480) }]);
      const bar = panel.locator('.sb-drafts .sb-progress');
      await shop.waitForFunction(() => {
        const value = document
          .querySelector('#switchboard-chat')
          ?.shadowRoot?.querySelector('.sb-drafts .sb-progress')
          ?.getAttribute('aria-valuenow');
        return value !== null && value !== undefined && Number(value) >= 15 && Number(value) < 90;
      });
      await shop.screenshot({ path: screenshotPath('webchat-4-upload-progress-pt-BR') });
      await bar.waitFor({ state: 'detached', timeout: 30_000 });
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      await expect(panel.locator('.sb-drafts .sb-pending').count()).resolves.toBe(3);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('fills a phone screen, and a reply that arrives while the chat is closed shows on the bubble', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 780 },
      deviceScaleFactor: 2,
      hasTouch: true,
    });
    try {
      const phone = await context.newPage();
      await phone.goto(`${h.url}/demo`);
      const launcher = phone.locator('#switchboard-chat .sb-launcher');
      await launcher.click();
      const panel = phone.locator('#switchboard-chat .sb-panel');
      await panel.locator('.sb-input').fill('Hello from my phone');
      await panel.locator('.sb-send').click();
      const created = await agentSocket.waitFor(
        (event) =>
          event.type === 'message.created' &&
          (event.data as { message: Message }).message.text === 'Hello from my phone',
      );
      const box = await panel.boundingBox();
      expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 780 });
      await phone.screenshot({ path: screenshotPath('webchat-6-phone-panel') });
      await panel.locator('.sb-close').click();

      const ticketId = (created.data as { message: Message }).message.ticketId;
      await agent.request('POST', `/api/tickets/${ticketId}/messages`, { text: 'Hi! How can we help?' });
      const badge = phone.locator('#switchboard-chat .sb-unread');
      await badge.waitFor({ state: 'visible' });
      await expect(badge.textContent()).resolves.toBe('1');
      await phone.waitForTimeout(400); // the bubble pops back in after the panel closes
      await phone.screenshot({ path: screenshotPath('webchat-7-phone-unread') });
      await launcher.click();
      await badge.waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('a visitor and an agent in the real agent app talk with media, live on both sides', async () => {
    const shopContext = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    const agentContext = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: 'en-US',
    });
    try {
      const app = await agentContext.newPage();
      await signInThroughForm(app, h.url, account.admin.email, account.admin.password);
      await app.waitForSelector('.shell[data-live="open"]');

      // The visitor sends a photo with a few words from the demo shop.
      const shop = await shopContext.newPage();
      await shop.goto(`${h.url}/demo`);
      await shop.locator('#switchboard-chat .sb-launcher').click();
      const panel = shop.locator('#switchboard-chat .sb-panel');
      await panel
        .locator('.sb-file-input')
        .setInputFiles([{ name: 'scratched-lid.jpg', mimeType: 'image/jpeg', buffer: await jpeg(900, 600) }]);
      await panel.locator('.sb-drafts .sb-pending').first().waitFor();
      await panel.locator('.sb-input').fill('The grinder lid came scratched, see the photo.');
      await panel.locator('.sb-input').press('Enter');

      // It appears in the agent's inbox without a reload, marked as carrying a photo.
      const row = app.locator('.ticket-row', { hasText: 'scratched-lid.jpg' });
      await row.waitFor({ timeout: 15_000 });
      expect(await row.locator('.preview-attachment').textContent()).toContain('scratched-lid.jpg');
      await row.click();
      await app.waitForURL(/\/tickets\//);
      const inbound = app.locator('.message.inbound', { hasText: 'The grinder lid came scratched' });
      const thumb = inbound.locator('.media-thumb img');
      await thumb.waitFor({ timeout: 15_000 });
      await eventually(
        () => thumb.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth),
        {
          timeout: 15_000,
        },
      ).toBeGreaterThan(0);

      // The agent answers with a PDF through the composer's file input, and a few words.
      const [chooser] = await Promise.all([
        app.waitForEvent('filechooser'),
        app.getByRole('button', { name: 'Attach files' }).click(),
      ]);
      await chooser.setFiles([
        { name: 'return-label.pdf', mimeType: 'application/pdf', buffer: tinyPdf('Return label 5521') },
      ]);
      await eventually(() => app.locator('.chip[data-upload-status="ready"]').count(), {
        timeout: 15_000,
      }).toBe(1);
      await app.locator('.composer-text').fill('Sorry about that! Print this label and we will swap it.');
      await app.screenshot({ path: screenshotPath('webchat-4-agent-app-reply') });
      await app.keyboard.press('Control+Enter');
      await eventually(() => app.locator('.chip').count()).toBe(0);

      // The visitor sees the text and the file in the open widget, without reloading.
      const answer = panel.locator('.sb-row', { hasText: 'Print this label' });
      await answer.waitFor({ timeout: 15_000 });
      await eventually(() => panel.locator('.sb-file-name', { hasText: 'return-label.pdf' }).count(), {
        timeout: 15_000,
      }).toBe(1);
      await shop.screenshot({ path: screenshotPath('webchat-5-visitor-sees-reply') });
      await eventually(
        () => app.locator('.message.outbound').last().locator('.delivery').getAttribute('data-status'),
        {
          timeout: 15_000,
        },
      ).toMatch(/^(delivered|read)$/);
    } finally {
      await shopContext.close();
      await agentContext.close();
    }
  }, 120_000);
});
