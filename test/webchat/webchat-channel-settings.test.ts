// An admin installs and tunes the website chat from Settings → Channels: the channel carries
// the exact script tag to paste and a page to preview it on; title, greeting and colour can be
// changed or cleared later; a deleted channel stops serving the widget. Agents only read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/shared/api-schemas.js';
import type { WidgetConfig } from '../../src/shared/webchat-api.js';
import { signIn } from '../support/client.js';
import { buildAgent } from '../support/harness.js';
import { createWebchatChannel, createWebchatHarness, visitorClient, type WebchatSetup } from './support.js';

let s: WebchatSetup;

beforeAll(async () => {
  s = await createWebchatHarness({ config: { title: 'Chat with us', greeting: 'Hello!', color: '#0f766e' } });
});
afterAll(() => s.h.close());

const widgetConfig = async (channelId: string) =>
  visitorClient(s.h, channelId).request<WidgetConfig>('GET', 'config');

describe('installing the widget', () => {
  it('shows the script tag a website pastes, and the demo page for the channel', async () => {
    const listed = await s.agent.request<{ channels: Channel[] }>('GET', '/api/channels');
    const channel = listed.body.channels.find((candidate) => candidate.id === s.channel.id);
    expect(channel?.install).toEqual({
      snippet: `<script src="${s.h.url}/widget.js" data-channel="${s.channel.id}" async></script>`,
      previewUrl: `${s.h.url}/demo?channel=${s.channel.id}`,
    });
    const demo = await fetch(channel!.install!.previewUrl!);
    expect(demo.status).toBe(200);
    expect(await demo.text()).toContain(`data-channel="${s.channel.id}"`);
  });
});

describe('editing and deleting the channel', () => {
  it('changes the title, greeting and colour, and clears an optional text', async () => {
    const channel = await createWebchatChannel(s.agent, { title: 'Old title', greeting: 'Hi' });
    const changed = await s.agent.request<Channel>('PATCH', `/api/channels/${channel.id}`, {
      name: 'Shop chat',
      config: {
        title: { en: 'Talk to Lumen', 'pt-BR': 'Fale com a Lumen' },
        color: '#b45309',
        greeting: null,
      },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Shop chat', config: { color: '#b45309' } });
    expect(changed.body.config).not.toHaveProperty('greeting');
    const shown = await widgetConfig(channel.id);
    expect(shown.body).toMatchObject({
      title: { en: 'Talk to Lumen', 'pt-BR': 'Fale com a Lumen' },
      greeting: {},
      color: '#b45309',
    });
  });

  it('refuses a colour that is not #rrggbb, and an origin with a path, and keeps the old settings', async () => {
    const colour = await s.agent.request('PATCH', `/api/channels/${s.channel.id}`, {
      config: { color: 'teal' },
    });
    expect(colour.status).toBe(400);
    const origin = await s.agent.request('PATCH', `/api/channels/${s.channel.id}`, {
      config: { allowedOrigins: ['https://shop.example/cart'] },
    });
    expect(origin.status).toBe(400);
    expect((await widgetConfig(s.channel.id)).body.color).toBe('#0f766e');
  });

  it('lets only admins change or delete, and a deleted channel no longer serves the widget', async () => {
    const channel = await createWebchatChannel(s.agent);
    const member = await buildAgent(s.h, s.account, 'agent');
    const agent = await signIn(s.h, member.email, member.password);
    expect((await agent.request('PATCH', `/api/channels/${channel.id}`, { name: 'Mine' })).status).toBe(403);
    expect((await agent.request('DELETE', `/api/channels/${channel.id}`)).status).toBe(403);

    expect((await s.agent.request('DELETE', `/api/channels/${channel.id}`)).status).toBe(204);
    const listed = await s.agent.request<{ channels: Channel[] }>('GET', '/api/channels');
    expect(listed.body.channels.map((candidate) => candidate.id)).not.toContain(channel.id);
    expect((await widgetConfig(channel.id)).status).toBe(404);
  });
});
