// An SMS channel on a real server, wired to the Twilio fake on loopback.
import { randomBytes } from 'node:crypto';
import type { Channel, Message, Ticket } from '../../src/shared/api-schemas.js';
import { createSmsAdapter } from '../../src/server/channels/sms/sms-adapter.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio.js';

export interface SmsWorld {
  h: Harness;
  fake: FakeTwilio;
  agent: Client;
  channel: Channel;
  number: string;
  close(): Promise<void>;
}

export const newAccountSid = (): string => `AC${randomBytes(16).toString('hex')}`;

export async function smsWorld(
  options: { env?: Record<string, string>; config?: Record<string, unknown>; jobs?: boolean } = {},
): Promise<SmsWorld> {
  const h = await createHarness({
    adapters: [
      createSmsAdapter({
        mediaDownload: {
          headersTimeoutMs: 3_000,
          idleTimeoutMs: 1_000,
          bodyTimeoutMs: 1_500,
          maxRedirects: 5,
        },
      }),
    ],
    ...(options.env ? { env: options.env } : {}),
    ...(options.jobs === false ? { jobs: false } : {}),
  });
  const accountSid = newAccountSid();
  const authToken = randomBytes(16).toString('hex');
  const fake = await startFakeTwilio({ accountSid, authToken, drip: { chunkBytes: 64, intervalMs: 200 } });
  const account = await buildAccount(h);
  const agent = await signIn(h, account.admin.email, account.admin.password);
  const number = '+12025550100';
  const created = await agent.request<Channel>('POST', '/api/channels', {
    kind: 'sms',
    name: 'Support line',
    config: { accountSid, authToken, from: number, apiBaseUrl: fake.baseUrl, ...(options.config ?? {}) },
  });
  if (created.status !== 201) throw new Error(`channel: ${JSON.stringify(created.body)}`);
  return {
    h,
    fake,
    agent,
    channel: created.body,
    number,
    async close() {
      await fake.close();
      await h.close();
    },
  };
}

export const webhookUrl = (world: SmsWorld): string => `${world.h.url}/webhooks/sms/${world.channel.id}`;

let customers = 0;
/** A fresh fictional US number for each test. */
export function newCustomer(): string {
  customers += 1;
  return `+1202555${String(1000 + ((process.pid * 7 + customers) % 9000)).padStart(4, '0')}`;
}

export async function ticketOf(world: SmsWorld, phone: string): Promise<Ticket | undefined> {
  const list = await world.agent.request<{ tickets: Ticket[] }>(
    'GET',
    `/api/tickets?q=${encodeURIComponent(phone)}`,
  );
  return list.body.tickets[0];
}

/** The ticket's messages, oldest first. */
export async function threadOf(world: SmsWorld, ticketId: string): Promise<Message[]> {
  const page = await world.agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticketId}/messages`);
  return [...page.body.messages].reverse();
}

/** Polls until `check` returns a value (jobs retry with backoff, so idle() alone is not enough). */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  what: string,
  tries = 250,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}
