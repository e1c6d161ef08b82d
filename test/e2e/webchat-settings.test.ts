// An admin installs the website chat from the real agent app: the channel's card shows the
// exact script tag with Copy and Preview; Edit opens the same form prefilled (texts per
// language, colour with a readability check); Delete asks first. Screenshots are saved for a
// look at the settings as admins see them.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/shared/api-schemas.js';
import type { WidgetConfig } from '../../src/shared/webchat-api.js';
import { webchatAdapter, webchatRoutes } from '../../src/server/channels/webchat/webchat-channel.js';
import { builtWebRoot, signInThroughForm } from '../support/agent-app.js';
import { eventually } from '../support/agent-app-expect.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness, type TestAccount } from '../support/harness.js';
import { createWebchatChannel } from '../webchat/support.js';

const run = hasChromium() ? describe : describe.skip;

run('website chat settings in the agent app', () => {
  let h: Harness;
  let account: TestAccount;
  let admin: Client;
  let channel: Channel;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    h = await createHarness({
      adapters: [webchatAdapter()],
      extraRoutes: [webchatRoutes()],
      webRoot: await builtWebRoot(),
    });
    account = await buildAccount(h);
    admin = await signIn(h, account.admin.email, account.admin.password);
    channel = await createWebchatChannel(admin, {
      title: { en: 'Lumen Coffee', 'pt-BR': 'Lumen Café' },
      greeting: { en: 'Hi! Questions about an order?', 'pt-BR': 'Oi! Dúvidas sobre um pedido?' },
      color: '#0f766e',
    });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInThroughForm(page, h.url, account.admin.email, account.admin.password);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const card = () => page.locator('.channel-card', { hasText: 'Website chat' });
  const widgetConfig = async () =>
    (await fetch(`${h.url}/api/widget/${channel.id}/config`)).json() as Promise<WidgetConfig>;

  it('shows the script tag to paste, copies it, and links to a preview', async () => {
    await page.goto(`${h.url}/settings/channels`);
    await card().waitFor();
    const snippet = `<script src="${h.url}/widget.js" data-channel="${channel.id}" async></script>`;
    expect(await card().locator('.snippet pre').textContent()).toBe(snippet);
    await card().locator('.snippet').getByRole('button', { name: 'Copy' }).click();
    await eventually(() => card().locator('.snippet button').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    expect(await card().getByRole('link', { name: 'Preview' }).getAttribute('href')).toBe(
      `${h.url}/demo?channel=${channel.id}`,
    );
    expect(await card().locator('.install-origins').textContent()).toContain('https://shop.example');
    await card().screenshot({ path: screenshotPath('webchat-settings-1-card') });
  });

  it('edits the texts and colour in the same form, prefilled, and warns about a pale colour', async () => {
    await card().getByRole('button', { name: 'Edit Website chat' }).click();
    const form = page.locator('form.card');
    await form.waitFor();
    const titles = form.locator('fieldset', { hasText: 'Title' }).locator('input');
    expect(await titles.nth(0).inputValue()).toBe('Lumen Coffee');
    expect(await titles.nth(1).inputValue()).toBe('Lumen Café');
    const hex = form.getByLabel('Accent colour', { exact: true });
    expect(await hex.inputValue()).toBe('#0f766e');
    expect(await form.locator('.contrast').textContent()).toMatch(/reads well \(\d+(\.\d)?:1\)/);

    await hex.fill('#fde047');
    await eventually(() => form.locator('.contrast').textContent()).toContain('hard to see on a white page');
    await form.screenshot({ path: screenshotPath('webchat-settings-2-edit-pale') });

    await hex.fill('#b45309');
    await titles.nth(0).fill('Talk to Lumen');
    const greetings = form.locator('fieldset', { hasText: 'Greeting' }).locator('textarea');
    await greetings.nth(0).fill('');
    expect(await form.locator('.widget-preview-head').textContent()).toBe('Talk to Lumen');
    await form.screenshot({ path: screenshotPath('webchat-settings-3-edit') });
    await form.getByRole('button', { name: 'Save changes' }).click();
    await card().waitFor();

    const shown = await widgetConfig();
    expect(shown).toMatchObject({
      title: { en: 'Talk to Lumen', 'pt-BR': 'Lumen Café' },
      greeting: { 'pt-BR': 'Oi! Dúvidas sobre um pedido?' },
      color: '#b45309',
    });
    expect(shown.greeting).not.toHaveProperty('en');
  });

  it('creates a website chat with its own fields and a live preview', async () => {
    await page.getByRole('button', { name: 'Add channel' }).click();
    const form = page.locator('form.card', { hasText: 'New channel' });
    await form.locator('.kind-option', { hasText: 'Webchat' }).click();
    await form.getByLabel('Name').fill('Help centre chat');
    await form.locator('fieldset', { hasText: 'Title' }).locator('input').nth(0).fill('Help centre');
    await form.getByLabel('Websites allowed to show the widget').fill('https://help.example.com/');
    await form.screenshot({ path: screenshotPath('webchat-settings-4-new') });
    await form.getByRole('button', { name: 'Create channel' }).click();
    const created = page.locator('.channel-card', { hasText: 'Help centre chat' });
    await created.waitFor();
    expect(await created.locator('.install-origins').textContent()).toContain('https://help.example.com');
    await page.screenshot({ path: screenshotPath('webchat-settings-5-page'), fullPage: true });
  });

  it('speaks Brazilian Portuguese to an agent whose browser does', async () => {
    const portuguese = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'pt-BR' });
    try {
      const pt = await portuguese.newPage();
      pt.setDefaultTimeout(10_000);
      await signInThroughForm(pt, h.url, account.admin.email, account.admin.password);
      await pt.goto(`${h.url}/settings/channels`);
      const ptCard = pt.locator('.channel-card', { hasText: 'Website chat' });
      await ptCard.waitFor();
      expect(await ptCard.locator('.install h3').textContent()).toBe('Instale no seu site');
      expect(await ptCard.getByRole('link', { name: 'Pré-visualizar' }).count()).toBe(1);
      await ptCard.getByRole('button', { name: 'Editar Website chat' }).click();
      const form = pt.locator('form.card');
      await form.waitFor();
      const text = (await form.innerText()) + (await pt.locator('.channel-card').first().innerText());
      for (const english of [
        'Title',
        'Greeting',
        'Accent colour',
        'Websites allowed',
        'Save changes',
        'optional',
      ])
        expect(text).not.toContain(english);
      expect(await form.locator('.widget-preview-head').textContent()).toBe('Lumen Café');
      await form.screenshot({ path: screenshotPath('webchat-settings-7-edit-pt-BR') });
    } finally {
      await portuguese.close();
    }
  });

  it('deletes a channel only after confirming', async () => {
    const created = page.locator('.channel-card', { hasText: 'Help centre chat' });
    await created.getByRole('button', { name: 'Delete Help centre chat' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete “Help centre chat”?' });
    await dialog.waitFor();
    await page.screenshot({ path: screenshotPath('webchat-settings-6-delete') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await created.count()).toBe(1);

    await created.getByRole('button', { name: 'Delete Help centre chat' }).click();
    await dialog.getByRole('button', { name: 'Delete channel' }).click();
    await created.waitFor({ state: 'detached' });
    const listed = await admin.request<{ channels: Channel[] }>('GET', '/api/channels');
    expect(listed.body.channels.map((item) => item.name)).toEqual(['Website chat']);
  });
});
