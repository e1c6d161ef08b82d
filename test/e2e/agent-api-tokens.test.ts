// API tokens from the profile page of the real agent app: an agent makes a token, copies it
// from the one-time notice, sees it used, and revokes it after a confirmation; an admin sees
// an agent's token with its owner, can stop it, and finds that in the activity log.
// Screenshots show the section as it looks.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtWebRoot, signInThroughForm } from '../support/agent-app.js';
import { eventually } from '../support/agent-app-expect.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { signIn, withToken } from '../support/client.js';
import {
  buildAccount,
  buildAgent,
  createHarness,
  type Harness,
  type TestAccount,
} from '../support/harness.js';

const run = hasChromium() ? describe : describe.skip;

run('API tokens in the agent app', () => {
  let h: Harness;
  let account: TestAccount;
  let agent: Awaited<ReturnType<typeof buildAgent>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    h = await createHarness({ webRoot: await builtWebRoot() });
    account = await buildAccount(h);
    agent = await buildAgent(h, account);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInThroughForm(page, h.url, agent.email, agent.password);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const section = () => page.locator('section.api-tokens');
  const row = (name: string) => section().locator('tbody tr', { hasText: name });

  it('makes a token, shows it once to copy, and lists it without the secret', async () => {
    await page.goto(`${h.url}/settings/profile`);
    // The section shows before its list has loaded: wait for the list's own words.
    await section().getByText('No API tokens yet.').waitFor();
    await section().getByLabel('Token name').fill('CRM sync');
    await section().getByRole('button', { name: 'Create token' }).click();
    const secret = section().locator('.token-secret code');
    await secret.waitFor();
    const token = (await secret.textContent()) ?? '';
    expect(token).toMatch(/^sbt_/);
    await section().locator('.token-secret').getByRole('button', { name: 'Copy' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await row('CRM sync').waitFor();
    expect(await row('CRM sync').textContent()).toContain('Never');
    await section().screenshot({ path: screenshotPath('api-tokens-1-created') });

    expect((await withToken(h, token).request('GET', '/api/me')).status).toBe(200);
    await section().getByRole('button', { name: 'Done' }).click();
    expect(await section().locator('.token-secret').count()).toBe(0);
    expect(await section().textContent()).not.toContain(token);
    await page.reload();
    await row('CRM sync').waitFor();
    expect(await row('CRM sync').textContent()).not.toContain('Never');
  });

  it('revokes a token after asking, and the token stops working', async () => {
    await section().getByLabel('Token name').fill('Old script');
    await section().getByRole('button', { name: 'Create token' }).click();
    const token = (await section().locator('.token-secret code').textContent()) ?? '';
    await row('Old script').waitFor();
    await row('Old script').getByRole('button', { name: 'Revoke the token “Old script”' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Revoke “Old script”?' });
    expect(await dialog.textContent()).toContain('stops working at once');
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await eventually(() => row('Old script').count()).toBe(0);
    expect((await withToken(h, token).request('GET', '/api/me')).status).toBe(401);
    await row('CRM sync').waitFor();
  });

  it("shows an admin the agent's token with its owner, and lets the admin revoke it", async () => {
    const session = await signIn(h, agent.email, agent.password);
    const created = await session.request<{ token: string }>('POST', '/api/tokens', { name: 'Zapier' });
    const adminContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'pt-BR',
    });
    const adminPage = await adminContext.newPage();
    adminPage.setDefaultTimeout(10_000);
    try {
      await signInThroughForm(adminPage, h.url, account.admin.email, account.admin.password);
      await adminPage.goto(`${h.url}/settings/profile`);
      const zapier = adminPage.locator('section.api-tokens tbody tr', { hasText: 'Zapier' });
      await zapier.waitFor();
      expect(await adminPage.locator('section.api-tokens h2').textContent()).toBe('Tokens de API');
      expect(await zapier.textContent()).toContain(agent.name);
      await adminPage
        .locator('section.api-tokens')
        .screenshot({ path: screenshotPath('api-tokens-2-admin-pt') });
      await zapier.getByRole('button', { name: 'Revogar o token “Zapier”' }).click();
      await adminPage
        .getByRole('alertdialog', { name: 'Revogar “Zapier”?' })
        .getByRole('button', { name: 'Revogar token' })
        .click();
      await eventually(() => zapier.count()).toBe(0);
      expect((await withToken(h, created.body.token).request('GET', '/api/me')).status).toBe(401);
      // The revocation is in the admins' activity log, with who did it.
      await adminPage.getByRole('link', { name: 'Atividade' }).click();
      const entry = adminPage.locator('.activity-table tbody tr', {
        hasText: 'Revogou o token de API “Zapier”',
      });
      await entry.waitFor();
      expect(await entry.textContent()).toContain('Admin');
      await adminPage.locator('main').screenshot({ path: screenshotPath('activity-log-pt') });
    } finally {
      await adminContext.close();
    }
  });
});
