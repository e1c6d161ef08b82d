// The inbox in Brazilian Portuguese, chosen from the agent's profile: every visible string,
// label and hint comes from the pt-BR catalog, and dates follow the locale.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../src/web/i18n/catalogs/en.js';
import ptBR from '../../src/web/i18n/catalogs/pt-BR.js';
import type { MessageValue } from '../../src/web/i18n/catalog-types.js';
import {
  builtWebRoot,
  createTestChannel,
  deliverInbound,
  signInThroughForm,
  startMediaHost,
  type MediaHost,
} from '../support/agent-app.js';
import { photo } from '../support/agent-app-images.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { createTestAdapter, type TestAdapterControl } from '../support/test-adapter.js';
import { ProviderError } from '../../src/server/channels/adapter.js';
import { twilioErrors } from '../../src/server/channels/sms/twilio-errors.js';

const run = hasChromium() ? describe : describe.skip;

let h: Harness;
let media: MediaHost;
let smsControl: TestAdapterControl;
let agentClient: Client;
let browser: Browser;
let page: Page;

const forms = (value: MessageValue): string[] => (typeof value === 'string' ? [value] : Object.values(value));

/** Literal pieces of every English message that Portuguese says differently. */
function englishFragments(): string[] {
  const fragments = new Set<string>();
  for (const [key, value] of Object.entries(en.messages)) {
    const translated = forms(ptBR.messages[key as keyof typeof en.messages]);
    for (const text of forms(value)) {
      if (translated.includes(text)) continue;
      for (const piece of text.split(/\{\w+\}/)) {
        const trimmed = piece.replace(/^[\s:.,·(—-]+|[\s:.,·)—…-]+$/g, '');
        if (trimmed.length >= 4 && /[A-Za-z]{3}/.test(trimmed)) fragments.add(trimmed);
      }
    }
  }
  return [...fragments];
}

async function everyVisibleString(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts = [document.body.innerText, document.title];
    for (const element of Array.from(document.querySelectorAll('*'))) {
      for (const attribute of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = element.getAttribute(attribute);
        if (value) parts.push(value);
      }
    }
    for (const option of Array.from(document.querySelectorAll('option'))) parts.push(option.text);
    return parts.join('\n');
  });
}

run('agent app in Brazilian Portuguese', () => {
  beforeAll(async () => {
    const webRoot = await builtWebRoot();
    const smsAdapter = createTestAdapter('sms');
    smsControl = smsAdapter.control;
    h = await createHarness({
      adapters: [createTestAdapter('whatsapp').adapter, smsAdapter.adapter],
      webRoot,
    });
    media = await startMediaHost();
    const account = await buildAccount(h, 'Aurora');
    const client = await signIn(h, account.admin.email, account.admin.password);
    agentClient = client;
    expect((await client.request('PATCH', '/api/me', { locale: 'pt-BR', name: 'Beatriz Lima' })).status).toBe(
      200,
    );
    const whatsapp = await createTestChannel(client, 'whatsapp', 'Atendimento');
    const sms = await createTestChannel(client, 'sms', 'Linha principal');
    const foto = media.put('foto-pedido.jpg', await photo(1200, 900), 'image/jpeg');
    await deliverInbound(h, sms, [
      { from: '+5511900000001', name: 'João Pereira', text: 'Vocês entregam no sábado?' },
    ]);
    await deliverInbound(h, whatsapp, [
      { from: '+5511900000002', name: 'Maria Souza', text: 'Oi! Meu pedido chegou quebrado.' },
      {
        from: '+5511900000002',
        name: 'Maria Souza',
        media: [{ url: foto, type: 'image/jpeg', name: 'foto-pedido.jpg' }],
      },
    ]);
    await h.deps.queue.idle();
    browser = await launchBrowser();
    page = await (
      await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
    ).newPage();
    page.setDefaultTimeout(10_000);
    await signInThroughForm(page, h.url, account.admin.email, account.admin.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await media?.close();
    await h?.close();
  });

  it('has a complete Portuguese catalog', () => {
    expect(Object.keys(ptBR.messages).sort()).toEqual(Object.keys(en.messages).sort());
    for (const [key, value] of Object.entries(en.messages)) {
      const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort().join();
      const translated = ptBR.messages[key as keyof typeof en.messages];
      expect(placeholders(forms(translated).join(' ')), key).toBe(placeholders(forms(value).join(' ')));
    }
  });

  it('renders the inbox, an open ticket and the composer with no English string left', async () => {
    await page.locator('h1', { hasText: 'Caixa de entrada' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('pt-BR');
    await page.locator('.ticket-row', { hasText: 'Maria Souza' }).click();
    await page.locator('.message.inbound .media-thumb img').waitFor();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Anexar arquivos' }).click(),
    ]);
    await chooser.setFiles([{ name: 'etiqueta.jpg', mimeType: 'image/jpeg', buffer: await photo(900, 600) }]);
    await page.locator('.chip[data-upload-status="ready"]').waitFor();
    await page.locator('.hint.nudge').waitFor();

    const text = await everyVisibleString(page);
    // Whole words only: "Agente" is Portuguese even though it starts with "Agent".
    const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const leftovers = englishFragments().filter((fragment) =>
      new RegExp(`(?<!\\p{L})${escape(fragment)}(?!\\p{L})`, 'u').test(text),
    );
    expect(leftovers).toEqual([]);
    for (const expected of [
      'Caixa de entrada',
      'Aberto',
      'Sem responsável',
      'Responder por WhatsApp',
      'Nota interna',
      'Enviar',
    ])
      expect(text).toContain(expected);
    expect(text).toContain(ptBR.messages['composer.nudge']);
    // Times in the 24-hour form Brazil uses, day headings in Portuguese.
    expect(await page.locator('.ticket-time').first().textContent()).toMatch(/^\d{2}:\d{2}$/);
    expect(await page.locator('.day-separator').first().textContent()).toBe('Hoje');
    await page.screenshot({ path: screenshotPath('agent-inbox-pt-BR') });
  });
  it('says why a reply was not delivered in Portuguese, from the failure code', async () => {
    smsControl.failures.push(new ProviderError('twilio-21610', twilioErrors[21610]!.text, false));
    await page.locator('.ticket-row', { hasText: 'João Pereira' }).click();
    await page.locator('.message.inbound', { hasText: 'Vocês entregam no sábado?' }).waitFor();
    const ticketId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const sent = await agentClient.request('POST', `/api/tickets/${ticketId}/messages`, {
      text: 'Confirmamos a entrega no sábado.',
    });
    expect(sent.status).toBe(201);
    const failed = page
      .locator('.message.outbound', { hasText: 'Confirmamos a entrega no sábado.' })
      .locator('.delivery.failed');
    await failed.waitFor({ timeout: 15_000 });
    expect(await failed.textContent()).toContain(
      `Não entregue: ${ptBR.messages['deliveryError.twilio.21610']}`,
    );
    expect(await failed.textContent()).not.toContain('STOP and unsubscribed');
  });

  it('names the refused field of the settings form in Portuguese', async () => {
    await page.goto(`${h.url}/settings/channels`);
    await page.getByRole('button', { name: 'Adicionar canal' }).click();
    await page.locator('.kind-option', { hasText: 'SMS' }).click();
    await page.getByLabel('Nome', { exact: true }).fill('   ');
    await page.getByLabel('Account SID').fill('AC123');
    await page.getByLabel('Token de autenticação').fill('token-123');
    await page.getByRole('button', { name: 'Criar canal' }).click();
    const error = page.locator('.form-error[role="alert"]');
    await error.waitFor();
    expect(await error.textContent()).toBe('Nome: preencha este campo.');
    // This build's SMS adapter wants a setting the form has no field for: named by its path.
    await page.getByLabel('Nome', { exact: true }).fill('Segunda linha');
    await page.getByRole('button', { name: 'Criar canal' }).click();
    await page.locator('.form-error[role="alert"]', { hasText: 'config.secret' }).waitFor();
    expect(await error.textContent()).toBe('config.secret: preencha este campo.');
    await page.screenshot({ path: screenshotPath('agent-settings-error-pt-BR') });
  });
});
