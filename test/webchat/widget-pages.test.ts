// What `npm start` gives a new install: a "Website chat" channel made on first start, the
// widget script for any site, and the demo shop that embeds it with no configuration.
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/shared/api-schemas.js';
import type { WidgetConfig } from '../../src/shared/webchat-api.js';
import { ensureAccount } from '../../src/server/bootstrap.js';
import { channelRoutes, starterChannels } from '../../src/server/channels/all-adapters.js';
import { webchatAdapter, webchatRoutes } from '../../src/server/channels/webchat/webchat-channel.js';
import { signIn } from '../support/client.js';
import { createHarness, type Harness } from '../support/harness.js';
import { visitorClient } from './support.js';

let h: Harness;
let dir: string;
let widgetFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'widget-file-'));
  widgetFile = join(dir, 'widget.js');
  h = await createHarness({
    adapters: [webchatAdapter()],
    extraRoutes: [webchatRoutes({ widgetFile })],
    env: { ADMIN_EMAIL: 'owner@shop.test', ADMIN_PASSWORD: 'a long enough password' },
  });
});
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

describe('first start', () => {
  it('is what the server registers', () => {
    expect(starterChannels.length).toBeGreaterThan(0);
    expect(channelRoutes.length).toBeGreaterThan(0);
  });

  it('creates the "Website chat" channel, which the demo shop embeds and which accepts its own origin', async () => {
    const first = await ensureAccount(h.deps, starterChannels);
    expect(first.created).toBe(true);
    const agent = await signIn(h, 'owner@shop.test', 'a long enough password');
    const channels = await agent.request<{ channels: Channel[] }>('GET', '/api/channels');
    const chat = channels.body.channels.find((channel) => channel.kind === 'webchat');
    expect(chat).toMatchObject({ name: 'Website chat' });
    expect(chat?.config.allowedOrigins).toEqual([new URL(h.deps.config.publicUrl).origin]);

    const demo = await fetch(`${h.url}/demo`);
    expect(demo.status).toBe(200);
    expect(demo.headers.get('content-type')).toContain('text/html');
    const html = await demo.text();
    expect(html).toContain(`<script src="/widget.js" data-channel="${chat!.id}" async></script>`);
    expect(html).toContain(`${h.deps.config.publicUrl}/widget.js`);
    expect(html).toContain('<html lang="en">');
    expect(await (await fetch(`${h.url}/demo?lang=pt-BR`)).text()).toContain('<html lang="pt-BR">');

    const config = await visitorClient(h, chat!.id, h.url).request<WidgetConfig>('GET', 'config');
    expect(config.status).toBe(200);
    expect(config.body.title).toMatchObject({ en: 'Chat with us', 'pt-BR': 'Fale com a gente' });
  });
});

describe('GET /widget.js', () => {
  it('says the widget is not built when the file is missing', async () => {
    const response = await fetch(`${h.url}/widget.js`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
  });

  it('serves the built script to any site, with a validator, and picks up a rebuild', async () => {
    await writeFile(widgetFile, 'console.log("v1");');
    const response = await fetch(`${h.url}/widget.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await response.text()).toBe('console.log("v1");');
    const etag = response.headers.get('etag')!;
    expect((await fetch(`${h.url}/widget.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    await writeFile(widgetFile, 'console.log("v2");');
    const later = new Date(Date.now() + 5000);
    await utimes(widgetFile, later, later);
    const rebuilt = await fetch(`${h.url}/widget.js`, { headers: { 'if-none-match': etag } });
    expect(rebuilt.status).toBe(200);
    expect(await rebuilt.text()).toBe('console.log("v2");');
  });
});
