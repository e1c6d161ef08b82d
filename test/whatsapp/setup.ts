// A helpdesk with the WhatsApp channel wired to the Graph API simulator on loopback.
import type { Channel, Message, Ticket } from '../../src/shared/api-schemas.js';
import { whatsappAdapter } from '../../src/server/channels/whatsapp/whatsapp-adapter.js';
import { startFakeGraph, type FakeGraph, type FakeGraphOptions } from '../fakes/graph.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';

export const APP_SECRET = 'wa-app-secret-123';
export const ACCESS_TOKEN = 'EAAG-whatsapp-token-123';
export const VERIFY_TOKEN = 'verify-me-please';

/** What the helpers below need: the server and a signed-in agent. */
export interface ApiWorld {
  h: Harness;
  agent: Client;
}

export interface WhatsAppWorld {
  h: Harness;
  graph: FakeGraph;
  agent: Client;
  channel: Channel;
  close(): Promise<void>;
}

export async function startWhatsAppWorld(
  options: Partial<FakeGraphOptions> = {},
  env: Record<string, string> = {},
): Promise<WhatsAppWorld> {
  const h = await createHarness({ adapters: [whatsappAdapter], env });
  const graph = await startFakeGraph({ appSecret: APP_SECRET, accessToken: ACCESS_TOKEN, ...options });
  const account = await buildAccount(h);
  const agent = await signIn(h, account.admin.email, account.admin.password);
  const created = await agent.request<Channel>('POST', '/api/channels', {
    kind: 'whatsapp',
    name: 'WhatsApp support',
    config: {
      phoneNumberId: graph.whatsappAccount.phoneNumberId,
      accessToken: ACCESS_TOKEN,
      appSecret: APP_SECRET,
      verifyToken: VERIFY_TOKEN,
      graphBaseUrl: graph.baseUrl,
      graphVersion: graph.version,
    },
  });
  if (created.status !== 201) throw new Error(`channel: ${JSON.stringify(created.body)}`);
  const channel = created.body;
  graph.setWebhookUrls({ whatsapp: channel.webhookUrl ?? '' });
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

/** Polls until `check` returns a value (jobs may be waiting for a retry's backoff). */
export async function until<T>(
  check: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function ticketOf(world: ApiWorld, externalId: string): Promise<Ticket> {
  return until(async () => {
    const list = await world.agent.request<{ tickets: Ticket[] }>(
      'GET',
      `/api/tickets?q=${encodeURIComponent(externalId)}`,
    );
    return list.body.tickets[0];
  }, `a ticket for ${externalId}`);
}

/** The ticket's messages, oldest first. */
export async function thread(world: ApiWorld, ticketId: string): Promise<Message[]> {
  const list = await world.agent.request<{ messages: Message[] }>(
    'GET',
    `/api/tickets/${ticketId}/messages?limit=200`,
  );
  return [...list.body.messages].reverse();
}

/** Waits until no attachment of the ticket is still processing. */
export async function settled(world: ApiWorld, ticketId: string): Promise<Message[]> {
  return until(async () => {
    await world.h.deps.queue.idle();
    const messages = await thread(world, ticketId);
    return messages.every((m) => m.attachments.every((a) => a.state !== 'processing')) ? messages : null;
  }, 'attachments to settle');
}

export async function messageById(world: ApiWorld, ticketId: string, id: string): Promise<Message> {
  const found = (await thread(world, ticketId)).find((m) => m.id === id);
  if (!found) throw new Error(`message ${id} not in the thread`);
  return found;
}
