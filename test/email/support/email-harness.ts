// A server with the e-mail channel, its workers and its webhook route, plus helpers to make a
// channel and to post raw MIME to it.
import type { Channel, Message, Ticket } from '../../../src/shared/api-schemas.js';
import { emailAdapter } from '../../../src/server/channels/email/email-adapter.js';
import { emailRoutes } from '../../../src/server/channels/email/email-routes.js';
import { startEmailWorkers, type EmailWorkers } from '../../../src/server/channels/email/email-workers.js';
import { signIn, type Client } from '../../support/client.js';
import { buildAccount, createHarness, type Harness, type TestAccount } from '../../support/harness.js';

export const WEBHOOK_SECRET = 'email-webhook-secret-0123456789';

export interface EmailWorld {
  h: Harness;
  account: TestAccount;
  agent: Client;
  workers: EmailWorkers;
  close(): Promise<void>;
}

export async function emailWorld(
  env: Record<string, string> = {},
  options: { webRoot?: string } = {},
): Promise<EmailWorld> {
  const h = await createHarness({ adapters: [emailAdapter], extraRoutes: [emailRoutes], env, ...options });
  const account = await buildAccount(h);
  const agent = await signIn(h, account.admin.email, account.admin.password);
  const workers = await startEmailWorkers(h.deps, {
    reconcileMs: 60_000,
    poller: { pollMs: 60_000, backoffMs: [50, 100, 200] },
  });
  return {
    h,
    account,
    agent,
    workers,
    async close() {
      await workers.stop();
      await h.close();
    },
  };
}

export async function createEmailChannel(
  world: EmailWorld,
  config: Record<string, unknown>,
  client: Client = world.agent,
): Promise<Channel> {
  const response = await client.request<Channel>('POST', '/api/channels', {
    kind: 'email',
    name: 'Acme Support',
    config: {
      address: 'support@acme.test',
      smtp: { host: '127.0.0.1', port: 9, secure: false },
      inbound: { webhookSecret: WEBHOOK_SECRET },
      ...config,
    },
  });
  if (response.status !== 201) throw new Error(`channel: ${JSON.stringify(response.body)}`);
  await world.workers.reconcile();
  return response.body;
}

export async function postMime(
  world: EmailWorld,
  channelId: string,
  raw: Buffer | string,
  secret = WEBHOOK_SECRET,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${world.h.url}/webhooks/email/${channelId}`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${secret}` },
    body: new Uint8Array(typeof raw === 'string' ? Buffer.from(raw) : raw),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function messageById(world: EmailWorld, messageId: string): Promise<Message> {
  const row = await world.h.deps.db
    .selectFrom('messages')
    .select(['ticketId'])
    .where('id', '=', messageId)
    .executeTakeFirstOrThrow();
  const list = await world.agent.request<{ messages: Message[] }>(
    'GET',
    `/api/tickets/${row.ticketId}/messages`,
  );
  const found = list.body.messages.find((m) => m.id === messageId);
  if (!found) throw new Error(`message ${messageId} not in its thread`);
  return found;
}

export async function ticketById(world: EmailWorld, ticketId: string): Promise<Ticket> {
  return (await world.agent.request<Ticket>('GET', `/api/tickets/${ticketId}`)).body;
}

export interface EmailMetaView {
  html: string | null;
  quotedHtml: string | null;
  quotedText: string | null;
  remoteImagesBlocked: number;
  inline: number[];
  automated: string | null;
  threadedBy: string;
  notes: string[];
  from: { address: string; name: string } | null;
  messageId: string;
  tooLarge?: { size: number | null; limit: number };
}

export const emailMeta = (message: Message): EmailMetaView => message.meta.email as EmailMetaView;
