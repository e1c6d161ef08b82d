// A helpdesk with the Instagram channel wired to the Graph API simulator on loopback.
import type { Channel } from '../../src/shared/api-schemas.js';
import { instagramAdapter } from '../../src/server/channels/instagram/instagram-adapter.js';
import { startFakeGraph, type FakeGraph, type FakeGraphOptions } from '../fakes/graph.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';

export const APP_SECRET = 'ig-app-secret-123';
export const ACCESS_TOKEN = 'IGAA-instagram-token-123';
export const VERIFY_TOKEN = 'verify-instagram-please';

export interface InstagramWorld {
  h: Harness;
  graph: FakeGraph;
  agent: Client;
  channel: Channel;
  close(): Promise<void>;
}

export async function startInstagramWorld(
  options: Partial<FakeGraphOptions> = {},
  env: Record<string, string> = {},
): Promise<InstagramWorld> {
  const h = await createHarness({ adapters: [instagramAdapter], env });
  const graph = await startFakeGraph({ appSecret: APP_SECRET, accessToken: ACCESS_TOKEN, ...options });
  const account = await buildAccount(h);
  const agent = await signIn(h, account.admin.email, account.admin.password);
  const created = await agent.request<Channel>('POST', '/api/channels', {
    kind: 'instagram',
    name: 'Instagram DMs',
    config: {
      accountId: graph.igAccountId,
      accessToken: ACCESS_TOKEN,
      appSecret: APP_SECRET,
      verifyToken: VERIFY_TOKEN,
      graphBaseUrl: graph.baseUrl,
      graphVersion: graph.version,
      humanAgentTag: true,
    },
  });
  if (created.status !== 201) throw new Error(`channel: ${JSON.stringify(created.body)}`);
  const channel = created.body;
  graph.setWebhookUrls({ instagram: channel.webhookUrl ?? '' });
  return {
    h,
    graph,
    agent,
    channel,
    async close() {
      await graph.close();
      await h.close();
    },
  };
}

export { messageById, settled, thread, ticketOf, until } from '../whatsapp/setup.js';
