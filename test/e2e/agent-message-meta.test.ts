// What channels record about a message, as an agent sees it in a real Chromium: WhatsApp
// types the app cannot show and provider errors, voice notes and stickers, Instagram link
// cards and story mentions (and a story that expired), and an e-mail body in a sandboxed
// frame with inline images, remote images held back, quoted text folded and agent notes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageMeta } from '../../src/shared/message-meta.js';
import { newId } from '../../src/server/infra/ids.js';
import {
  builtWebRoot,
  createTestChannel,
  deliverInbound,
  signInThroughForm,
  startMediaHost,
  type InboundMessage,
  type MediaHost,
  type TestChannel,
} from '../support/agent-app.js';
import { eventually } from '../support/agent-app-expect.js';
import { photo, screenshotPng, webp } from '../support/agent-app-images.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { png } from '../support/images.js';
import { createTestAdapter } from '../support/test-adapter.js';

const run = hasChromium() ? describe : describe.skip;

let h: Harness;
let media: MediaHost;
let browser: Browser;
let page: Page;
let whatsapp: TestChannel;
let instagram: TestChannel;
let email: TestChannel;
const requested: string[] = [];
let client: Client;

/** Delivers one message, then gives it the meta its channel would have recorded. */
async function deliverWithMeta(
  channel: TestChannel,
  message: InboundMessage & { id: string },
  meta: MessageMeta | Record<string, unknown>,
): Promise<string> {
  await deliverInbound(h, channel, [message]);
  const row = await h.deps.db
    .updateTable('messages')
    .set({ meta: JSON.stringify(meta) })
    .where('channelId', '=', channel.channel.id)
    .where('providerMessageId', '=', message.id)
    .returning(['id', 'accountId', 'createdAt'])
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An Instagram story mention as the core keeps it: a link to the story, nothing stored. */
async function deliverStoryMention(id: string, url: string): Promise<void> {
  const messageId = await deliverWithMeta(
    instagram,
    { id, from: 'ig-4471', name: 'Sam Ortega' },
    { storyMention: { url } },
  );
  const message = await h.deps.db
    .selectFrom('messages')
    .select(['accountId', 'createdAt'])
    .where('id', '=', messageId)
    .executeTakeFirstOrThrow();
  await h.deps.db
    .insertInto('attachments')
    .values({
      id: newId(message.createdAt),
      accountId: message.accountId,
      messageId,
      uploadedBy: null,
      blobKey: null,
      name: 'story',
      contentType: 'image/jpeg',
      declaredType: 'image/jpeg',
      size: 0,
      width: null,
      height: null,
      durationMs: null,
      state: 'ready',
      stateReason: null,
      source: JSON.stringify({ url, type: 'story_mention' }),
      meta: JSON.stringify({ instagramType: 'story_mention', remoteUrl: url, notStored: true }),
      position: 0,
      createdAt: message.createdAt,
      updatedAt: message.createdAt,
    })
    .execute();
}

function tone(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-voice-'));
  const out = join(dir, 'voice.ogg');
  execFileSync(
    'ffmpeg',
    ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=2', '-c:a', 'libopus', out],
    { stdio: 'ignore' },
  );
  return readFileSync(out);
}

const frameDocument = (index = 0) =>
  page.evaluate((at) => {
    const frame = document.querySelectorAll<HTMLIFrameElement>('iframe.email-frame')[at];
    const doc = frame?.contentDocument;
    return {
      sandbox: frame?.getAttribute('sandbox') ?? null,
      height: frame?.getBoundingClientRect().height ?? 0,
      text: doc?.body?.innerText ?? '',
      inline: Array.from(doc?.querySelectorAll<HTMLImageElement>('img[data-attachment]') ?? []).map(
        (img) => ({ src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0 }),
      ),
      remote: Array.from(doc?.querySelectorAll<HTMLImageElement>('img[data-remote-src]') ?? []).map(
        (img) => ({ src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0 }),
      ),
      quoted: doc?.querySelector('.sb-quoted') !== null && doc?.querySelector('.sb-quoted') !== undefined,
    };
  }, index);

async function openTicket(name: string): Promise<void> {
  await page.locator('.ticket-row', { hasText: name }).click();
  await page.locator('.ticket-header', { hasText: name }).waitFor();
  await page.locator('.message').first().waitFor();
}

run('agent app: what channels record about a message', () => {
  beforeAll(async () => {
    const webRoot = await builtWebRoot();
    h = await createHarness({
      adapters: [
        createTestAdapter('whatsapp').adapter,
        createTestAdapter('instagram').adapter,
        createTestAdapter('email').adapter,
      ],
      webRoot,
    });
    media = await startMediaHost();
    const account = await buildAccount(h, 'Tidewater');
    client = await signIn(h, account.admin.email, account.admin.password);
    whatsapp = await createTestChannel(client, 'whatsapp', 'Support WhatsApp');
    instagram = await createTestChannel(client, 'instagram', '@tidewater');
    email = await createTestChannel(client, 'email', 'support@tidewater.test');

    // WhatsApp
    const lucia = { from: '+5491155550123', name: 'Lucía Fernández' };
    await deliverInbound(h, whatsapp, [{ ...lucia, id: 'wa-1', text: 'Hi! My order arrived today.' }]);
    await deliverWithMeta(
      whatsapp,
      { ...lucia, id: 'wa-2' },
      {
        unsupported: { kind: 'unsupported', reason: 'Message type is not currently supported.' },
        providerErrors: [
          {
            code: '131051',
            title: 'Message type unknown',
            details: 'Message type is not currently supported.',
          },
        ],
      },
    );
    await deliverWithMeta(
      whatsapp,
      { ...lucia, id: 'wa-3' },
      {
        providerErrors: [
          {
            code: '131052',
            title: 'Media download error',
            details: 'Unable to download the media sent by the user.',
          },
        ],
      },
    );
    const voice = media.put('voice.ogg', tone(), 'audio/ogg');
    await deliverWithMeta(
      whatsapp,
      { ...lucia, id: 'wa-4', media: [{ url: voice, type: 'audio/ogg', name: 'voice.ogg' }] },
      { voiceNote: true },
    );
    const sticker = media.put('sticker.webp', await webp(320, 320), 'image/webp');
    await deliverWithMeta(
      whatsapp,
      { ...lucia, id: 'wa-5', media: [{ url: sticker, type: 'image/webp', name: 'sticker.webp' }] },
      { sticker: { animated: false } },
    );
    await deliverWithMeta(
      whatsapp,
      { ...lucia, id: 'wa-6', text: 'Tidewater Pier 3\nHarbour Road 12' },
      {
        cards: [
          {
            kind: 'location',
            url: 'https://www.openstreetmap.org/?mlat=-34.60372&mlon=-58.38159',
            title: 'Tidewater Pier 3',
            latitude: -34.60372,
            longitude: -58.38159,
          },
        ],
      },
    );

    // Instagram
    const sam = { from: 'ig-4471', name: 'Sam Ortega' };
    await deliverWithMeta(
      instagram,
      { ...sam, id: 'ig-1' },
      {
        cards: [
          { kind: 'ig_reel', url: 'https://www.instagram.com/reel/C7x2Lm/', title: 'Spring glaze drop' },
        ],
      },
    );
    await deliverWithMeta(
      instagram,
      { ...sam, id: 'ig-2' },
      {
        cards: [
          { kind: 'share', url: 'https://www.instagram.com/p/C6pQr1/' },
          { kind: 'ig_post', url: 'https://www.instagram.com/p/C5aBc9/', title: 'Speckled mug, 350 ml' },
        ],
      },
    );
    await deliverWithMeta(
      instagram,
      { ...sam, id: 'ig-3', text: 'Love this colour! Is it back in stock?' },
      { cards: [{ kind: 'story_reply', url: 'https://www.instagram.com/stories/tidewater/3301/' }] },
    );
    await deliverStoryMention('ig-4', media.put('story-live.jpg', await photo(1080, 1920), 'image/jpeg'));
    await deliverStoryMention('ig-5', media.url('story-expired.jpg'));

    // E-mail
    const priya = { from: 'priya@harbourcafe.test', name: 'Priya Raman' };
    const crack = media.put('crack.png', await screenshotPng(800, 500, 'Mug #4410'), 'image/png');
    const winmail = media.put('winmail.dat', Buffer.from('TNEF container'), 'application/ms-tnef');
    media.put('remote-logo.png', await png(240, 80), 'image/png');
    const remote = media.url('remote-logo.png');
    await deliverWithMeta(
      email,
      {
        ...priya,
        id: 'mail-1',
        text: 'Hello Tidewater team, the mug arrived cracked. Photo below.',
        media: [
          { url: crack, type: 'image/png', name: 'crack.png' },
          { url: winmail, type: 'application/ms-tnef', name: 'winmail.dat' },
        ],
      },
      {
        email: {
          subject: 'Cracked mug in order #4410',
          html:
            '<p>Hello Tidewater team,</p><p>The mug from order <b>#4410</b> arrived cracked. Photo below:</p>' +
            '<p><img data-attachment="0" alt="crack.png"></p>' +
            `<p>Our café logo for the reorder: <img data-remote-src="${remote}" alt="Harbour Café logo" width="120"></p>` +
            '<p>Thanks,<br>Priya Raman<br><span style="color:#7c7c87">Harbour Café</span></p>' +
            '<script>parent.__emailScriptRan = true</script><img src="missing.png" style="display:none" onerror="parent.__emailScriptRan = true">',
          quotedHtml:
            '<div class="gmail_quote"><p>On Mon, 3 Nov, Tidewater wrote:</p>' +
            '<blockquote>Your order #4410 has shipped and should arrive on Thursday.</blockquote></div>',
          quotedText: null,
          remoteImagesBlocked: 1,
          inline: [0],
          notes: [
            'winmail.dat is an Outlook (TNEF) container that could not be opened, and is kept as a file. Ask the customer to send again with Outlook set to HTML or plain-text format to see what it holds.',
          ],
        },
      },
    );
    await deliverWithMeta(
      email,
      { ...priya, id: 'mail-2', text: 'Also: could you send a new one before Friday?' },
      {
        email: {
          html: null,
          quotedHtml: null,
          quotedText: 'On Tue, Tidewater wrote:\n> We are sorry about the mug.',
          remoteImagesBlocked: 0,
          inline: [],
          notes: [],
        },
      },
    );
    await h.deps.queue.idle();

    browser = await launchBrowser();
    page = await (
      await browser.newContext({ viewport: { width: 1280, height: 1500 }, locale: 'en-US' })
    ).newPage();
    page.setDefaultTimeout(10_000);
    page.on('request', (request) => requested.push(request.url()));
    await signInThroughForm(page, h.url, account.admin.email, account.admin.password);
    await page.waitForSelector('.shell[data-live="open"]');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await media?.close();
    await h?.close();
  });

  it('says in words what WhatsApp could not show, and labels voice notes and stickers', async () => {
    await openTicket('Lucía Fernández');
    const unsupported = page.locator('.meta-notice.unsupported');
    await unsupported.waitFor();
    expect(await unsupported.textContent()).toContain(
      "This WhatsApp message type can't be shown here (type: unsupported).",
    );
    // The provider's own errors about that message are in the same box, said once.
    expect(await unsupported.textContent()).toContain('Message type unknown');
    expect(await unsupported.textContent()).toContain('code 131051');
    expect(await unsupported.locator('.meta-notice-detail').count()).toBe(0);
    const errors = page.locator('.meta-notice.error');
    expect(await errors.textContent()).toContain('WhatsApp reported a problem with this message');
    expect(await errors.textContent()).toContain('Media download error: Unable to download the media');
    expect(await errors.textContent()).toContain('code 131052');
    expect(await page.locator('.media-label', { hasText: 'Voice note' }).count()).toBe(1);
    expect(await page.locator('.media-label', { hasText: 'Sticker' }).count()).toBe(1);
    const location = page.locator('a.link-card.location');
    expect(await location.getAttribute('href')).toBe(
      'https://www.openstreetmap.org/?mlat=-34.60372&mlon=-58.38159',
    );
    expect(await location.textContent()).toContain('-34.60372, -58.38159');
    // No message is an empty bubble: every one shows something.
    const empty = await page
      .locator('.message-body')
      .evaluateAll(
        (bodies) =>
          bodies.filter(
            (body) => body.textContent?.trim() === '' && !body.querySelector('img, audio, video, iframe'),
          ).length,
      );
    expect(empty).toBe(0);
    await page.screenshot({ path: screenshotPath('agent-thread-meta-whatsapp') });
  });

  it('warns when the 24-hour reply window of WhatsApp has closed', async () => {
    await h.deps.db
      .updateTable('tickets')
      .set({ lastInboundAt: Date.now() - 48 * 3600 * 1000 })
      .where('channelId', '=', whatsapp.channel.id)
      .execute();
    await page.reload();
    await page.locator('.message').first().waitFor();
    const banner = page.locator('.composer-banner.warning');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('more than 24 hours ago');
    expect(await banner.textContent()).toContain('WhatsApp');
  });

  it('shows Instagram shares as link cards and a story mention as the picture, until the story is gone', async () => {
    await openTicket('Sam Ortega');
    const reel = page.locator('a.link-card.ig_reel');
    await reel.waitFor();
    expect(await reel.getAttribute('href')).toBe('https://www.instagram.com/reel/C7x2Lm/');
    expect(await reel.getAttribute('target')).toBe('_blank');
    expect(await reel.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await reel.textContent()).toContain('Spring glaze drop');
    expect(await page.locator('a.link-card.share').textContent()).toContain('instagram.com/p/C6pQr1');
    expect(await page.locator('a.link-card.story_reply').textContent()).toContain('Reply to your story');
    // Nothing is fetched from the shared links.
    expect(requested.some((url) => url.includes('instagram.com'))).toBe(false);

    const stories = page.locator('.story-mention');
    await eventually(() => stories.count()).toBe(2);
    const live = stories.first().locator('img.story-media');
    await eventually(() => live.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(
      1080,
    );
    expect(await live.getAttribute('src')).toBe(media.url('story-live.jpg'));
    const expired = stories.nth(1);
    await eventually(() => expired.locator('.story-gone').count()).toBe(1);
    expect(await expired.textContent()).toContain('This story is no longer available');
    // The story is drawn as a story, never as a file card named "story".
    expect(await page.locator('.file-card', { hasText: 'story' }).count()).toBe(0);
    await page.locator('.thread-scroll').evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await page.screenshot({ path: screenshotPath('agent-thread-meta-instagram') });
  });

  it('shows an e-mail in a sandboxed frame: inline image, remote image on request, quoted text folded', async () => {
    await openTicket('Priya Raman');
    await page.locator('iframe.email-frame').waitFor();
    await eventually(async () => (await frameDocument()).inline.every((image) => image.loaded)).toBe(true);
    const before = await frameDocument();
    expect(before.sandbox).not.toContain('allow-scripts');
    expect(before.text).toContain('arrived cracked');
    expect(before.inline).toHaveLength(1);
    expect(before.inline[0]?.src).toMatch(/\/api\/attachments\/.+\/content$/);
    // Nothing in the mail ran.
    expect(
      await page.evaluate(() => (window as unknown as { __emailScriptRan?: boolean }).__emailScriptRan),
    ).toBe(undefined);
    // The inline picture is not listed again under the message; the other file is.
    const mail = page.locator('.message', { has: page.locator('iframe.email-frame') });
    expect(await mail.locator('.message-media').textContent()).toContain('winmail.dat');
    expect(await mail.locator('.message-media').textContent()).not.toContain('crack.png');
    expect(await mail.locator('.agent-note').textContent()).toContain(
      'winmail.dat is an Outlook (TNEF) container',
    );
    // The remote image waits for the agent.
    expect(before.remote).toHaveLength(1);
    expect(before.remote[0]?.src).toMatch(/^data:image\/gif/);
    expect(requested.some((url) => url.includes('remote-logo.png'))).toBe(false);
    // Quoted history is folded.
    expect(before.quoted).toBe(false);
    expect(before.text).not.toContain('has shipped');
    // The frame is as tall as its content.
    expect(before.height).toBeGreaterThan(300);
    await page.screenshot({ path: screenshotPath('agent-thread-meta-email') });

    const [remoteRequest] = await Promise.all([
      page.waitForRequest((request) => request.url().includes('remote-logo.png')),
      mail.getByRole('button', { name: 'Load remote image (1)' }).click(),
    ]);
    expect(remoteRequest.url()).toBe(media.url('remote-logo.png'));
    await eventually(async () => (await frameDocument()).remote[0]?.loaded).toBe(true);
    expect(await mail.locator('.email-remote-bar').count()).toBe(0);

    await mail.getByRole('button', { name: 'Show quoted text' }).click();
    await eventually(async () => (await frameDocument()).text).toContain('has shipped');
    expect((await frameDocument()).quoted).toBe(true);
    // The frame is measured from outside after its layout settles.
    await eventually(async () => (await frameDocument()).height).toBeGreaterThan(before.height);
    expect(await mail.getByRole('button', { name: 'Hide quoted text' }).getAttribute('aria-expanded')).toBe(
      'true',
    );
    await page.screenshot({ path: screenshotPath('agent-thread-meta-email-open') });
  });

  it('keeps a text-only e-mail as text, with its quoted history folded', async () => {
    const reply = page.locator('.message', { hasText: 'could you send a new one' });
    expect(await reply.locator('.message-text').textContent()).toBe(
      'Also: could you send a new one before Friday?',
    );
    expect(await reply.locator('iframe').count()).toBe(0);
    expect(await reply.locator('.quoted-text').count()).toBe(0);
    await reply.getByRole('button', { name: 'Show quoted text' }).click();
    expect(await reply.locator('.quoted-text').textContent()).toContain('We are sorry about the mug.');
  });

  it('says all of it in Brazilian Portuguese', async () => {
    expect((await client.request('PATCH', '/api/me', { locale: 'pt-BR' })).status).toBe(200);
    await page.reload();
    await page.locator('h1', { hasText: 'Caixa de entrada' }).waitFor();
    await openTicket('Lucía Fernández');
    await page.locator('.meta-notice.unsupported').waitFor();
    expect(await page.locator('.meta-notice.unsupported').textContent()).toContain(
      'Este tipo de mensagem do WhatsApp não pode ser exibido aqui (tipo: unsupported).',
    );
    expect(await page.locator('.meta-notice.error').textContent()).toContain('código 131052');
    expect(await page.locator('.media-label', { hasText: 'Mensagem de voz' }).count()).toBe(1);
    expect(await page.locator('a.link-card.location').textContent()).toContain('Localização');
    await openTicket('Sam Ortega');
    const expired = page.locator('.story-mention').nth(1);
    await eventually(() => expired.locator('.story-gone').count()).toBe(1);
    expect(await expired.textContent()).toContain('Este story não está mais disponível');
    await openTicket('Priya Raman');
    const mail = page.locator('.message', { has: page.locator('iframe.email-frame') });
    await mail.getByRole('button', { name: 'Carregar imagem remota (1)' }).waitFor();
    expect(await mail.getByRole('button', { name: 'Mostrar texto citado' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('agent-thread-meta-email-pt-BR') });
  });
});
