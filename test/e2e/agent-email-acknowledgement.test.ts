// An admin sets the e-mail channel's automatic reply in the channel form of the real agent
// app; a customer's new mail then gets it, and the thread shows it as an automatic reply,
// not as the agent's. Screenshots show the form and the thread.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/shared/api-schemas.js';
import { builtWebRoot, signInThroughForm } from '../support/agent-app.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import * as corpus from '../email/support/corpus.js';
import { createEmailChannel, emailWorld, postMime, type EmailWorld } from '../email/support/email-harness.js';
import { startSmtpSink, type SmtpSink } from '../email/support/smtp-sink.js';

const run = hasChromium() ? describe : describe.skip;

run('automatic reply of an e-mail channel in the agent app', () => {
  let world: EmailWorld;
  let sink: SmtpSink;
  let channel: Channel;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    world = await emailWorld({}, { webRoot: await builtWebRoot() });
    sink = await startSmtpSink();
    channel = await createEmailChannel(world, {
      smtp: { host: '127.0.0.1', port: sink.port, secure: false },
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    page.setDefaultTimeout(10_000);
    await signInThroughForm(page, world.h.url, world.account.admin.email, world.account.admin.password);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sink?.close();
    await world?.close();
  });

  it('is set in the channel form and kept', async () => {
    await page.goto(`${world.h.url}/settings/channels`);
    await page.getByRole('button', { name: `Edit ${channel.name}` }).click();
    const field = page.getByLabel('Automatic reply to new requests');
    await field.fill('Hi {name}, thanks for writing. Your ticket is #{number}; we answer within a day.');
    await page.locator('form').screenshot({ path: screenshotPath('email-acknowledgement-1-form') });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('form.form-grid').waitFor({ state: 'detached' });
    const stored = await world.agent.request<{ channels: Channel[] }>('GET', '/api/channels');
    expect(stored.body.channels.find((c) => c.id === channel.id)?.config.acknowledgement).toBe(
      'Hi {name}, thanks for writing. Your ticket is #{number}; we answer within a day.',
    );
  });

  it('answers a new request, and the thread shows it as an automatic reply', async () => {
    const response = await postMime(
      world,
      channel.id,
      corpus.plain(
        { from: 'Marta Lima <marta@customer.test>', subject: 'Cracked screen' },
        'My screen arrived cracked.',
      ),
    );
    await world.h.deps.queue.idle();
    const [mail] = await sink.waitFor(1);
    expect(mail!.to).toEqual(['marta@customer.test']);
    expect(mail!.parsed.text).toMatch(
      /^Hi Marta Lima, thanks for writing\. Your ticket is #\d+; we answer within a day\./,
    );

    await page.goto(`${world.h.url}/tickets/${response.body.ticketId as string}`);
    const reply = page.locator('.message.outbound');
    await reply.waitFor();
    expect(await reply.locator('.message-author').textContent()).toBe('Automatic reply');
    expect(await reply.locator('.avatar.automatic').count()).toBe(1);
    expect(await reply.textContent()).toContain('thanks for writing');
    // The inbox line keeps the customer's words.
    expect(await page.locator('.ticket-row', { hasText: 'Marta Lima' }).textContent()).toContain(
      'My screen arrived cracked.',
    );
    await page.screenshot({ path: screenshotPath('email-acknowledgement-2-thread') });
  });
});
