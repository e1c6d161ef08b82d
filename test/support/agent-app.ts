// Support for end-to-end runs of the agent app: a built web root, a loopback server that
// plays a provider's media host, signed webhooks through the test adapter, and tickets
// with long histories written straight into the database.
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Attachment, Channel } from '../../src/shared/api-schemas.js';
import type { NewRow } from '../../src/server/infra/db/schema.js';
import { newId } from '../../src/server/infra/ids.js';
import type { Client } from './client.js';
import type { Harness } from './harness.js';
import { signTest } from './test-adapter.js';

const root = join(import.meta.dirname, '..', '..');

function newestMtime(paths: string[]): number {
  let latest = 0;
  const visit = (path: string) => {
    let info;
    try {
      info = statSync(path);
    } catch {
      return;
    }
    if (info.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else latest = Math.max(latest, info.mtimeMs);
  };
  paths.forEach((path) => visit(join(root, path)));
  return latest;
}

/**
 * The agent app as production serves it: dist/web when it is newer than its sources,
 * otherwise a fresh build in a directory of this run's own.
 */
export async function builtWebRoot(): Promise<string> {
  const stamp = newestMtime(['dist/.web-built']);
  const sources = newestMtime(['src/web', 'src/shared', 'vite.config.ts']);
  if (stamp > 0 && stamp >= sources) return join(root, 'dist', 'web');
  const outDir = mkdtempSync(join(tmpdir(), 'switchboard-web-'));
  const { build } = await import('vite');
  // The test runner sets NODE_ENV=test, which would give React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(root, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}

export interface MediaHost {
  url(name: string): string;
  put(name: string, bytes: Buffer, type: string): string;
  close(): Promise<void>;
}

/** A loopback HTTP server that serves files like a provider's media host. */
export async function startMediaHost(): Promise<MediaHost> {
  const files = new Map<string, { bytes: Buffer; type: string }>();
  const server: Server = createServer((request, response) => {
    const file = files.get(decodeURIComponent((request.url ?? '').slice(1)));
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length })
      .end(file.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = (name: string) => `http://127.0.0.1:${port}/${encodeURIComponent(name)}`;
  return {
    url,
    put(name, bytes, type) {
      files.set(name, { bytes, type });
      return url(name);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface TestChannel {
  channel: Channel;
  secret: string;
}

export async function createTestChannel(
  client: Client,
  kind: Channel['kind'],
  name: string,
): Promise<TestChannel> {
  const secret = `secret-${kind}-${Math.random().toString(36).slice(2)}`;
  const response = await client.request<Channel>('POST', '/api/channels', { kind, name, config: { secret } });
  if (response.status !== 201) throw new Error(`Channel creation failed: ${JSON.stringify(response.body)}`);
  return { channel: response.body, secret };
}

export interface InboundMessage {
  id?: string;
  from: string;
  name?: string;
  text?: string;
  media?: Array<{ url: string; type?: string; name?: string }>;
}

let delivered = 0;

/** Posts a signed webhook, as the provider would, with one or more customer messages. */
export async function deliverInbound(
  h: Harness,
  target: TestChannel,
  messages: InboundMessage[],
): Promise<void> {
  const body = JSON.stringify({
    events: messages.map((message) => ({
      type: 'message',
      id: message.id ?? `in-${Date.now()}-${++delivered}`,
      from: message.from,
      ...(message.name ? { name: message.name } : {}),
      text: message.text ?? '',
      media: message.media ?? [],
    })),
  });
  const url = new URL(target.channel.webhookUrl ?? '');
  const response = await fetch(`${h.url}${url.pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-signature': signTest(target.secret, body) },
    body,
  });
  if (response.status !== 200)
    throw new Error(`Webhook answered ${response.status}: ${await response.text()}`);
}

export async function ticketOf(h: Harness, channelId: string, externalId: string): Promise<string> {
  const row = await h.deps.db
    .selectFrom('tickets')
    .innerJoin('contactIdentities', 'contactIdentities.contactId', 'tickets.contactId')
    .select('tickets.id')
    .where('tickets.channelId', '=', channelId)
    .where('contactIdentities.externalId', '=', externalId)
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface LongTicketOptions {
  accountId: string;
  channelId: string;
  ticketId: string;
  messages: number;
  /** Messages that carry an image (spread evenly), each reusing a processed upload's bytes. */
  images?: number;
  imageTemplate?: Attachment;
  firstText?: string;
  /** The newest message is this long ago. */
  endsAt?: number;
}

/**
 * Writes a long history into an existing ticket (older than its first message), as if it
 * had arrived over months: alternating customer messages and replies, some with images.
 */
export async function writeLongHistory(h: Harness, options: LongTicketOptions): Promise<void> {
  const db = h.deps.db;
  const agent = await db
    .selectFrom('agents')
    .select('id')
    .where('accountId', '=', options.accountId)
    .executeTakeFirstOrThrow();
  const template = options.imageTemplate
    ? await db
        .selectFrom('attachments')
        .selectAll()
        .where('id', '=', options.imageTemplate.id)
        .executeTakeFirstOrThrow()
    : null;
  const thumbnail = template
    ? await db
        .selectFrom('derivatives')
        .selectAll()
        .where('attachmentId', '=', template.id)
        .where('kind', '=', 'thumbnail')
        .executeTakeFirstOrThrow()
    : null;
  const first = await db
    .selectFrom('messages')
    .select(['createdAt'])
    .where('ticketId', '=', options.ticketId)
    .orderBy('createdAt', 'asc')
    .executeTakeFirst();
  const end = (first?.createdAt ?? options.endsAt ?? Date.now()) - 60_000;
  const step = 37 * 60 * 1000;
  const imageEvery = options.images ? Math.floor(options.messages / options.images) : 0;
  const messages: NewRow<'messages'>[] = [];
  const attachments: NewRow<'attachments'>[] = [];
  const derivatives: NewRow<'derivatives'>[] = [];
  for (let index = 0; index < options.messages; index++) {
    const at = end - (options.messages - 1 - index) * step;
    const id = newId(at);
    const inbound = index % 2 === 0;
    const text =
      index === 0 && options.firstText
        ? options.firstText
        : inbound
          ? `Customer message ${index + 1}: is there any news about order ${1000 + index}?`
          : `Reply ${index + 1}: thanks for waiting, I am checking the order with the warehouse now.`;
    messages.push({
      id,
      accountId: options.accountId,
      ticketId: options.ticketId,
      channelId: options.channelId,
      direction: inbound ? 'inbound' : 'outbound',
      authorAgentId: inbound ? null : agent.id,
      text,
      note: 0,
      providerMessageId: `history-${options.ticketId}-${index}`,
      status: inbound ? 'received' : 'read',
      errorCode: null,
      errorMessage: null,
      meta: '{}',
      createdAt: at,
      updatedAt: at,
    });
    if (template && thumbnail && imageEvery && index % imageEvery === imageEvery - 1) {
      const attachmentId = newId(at);
      attachments.push({
        ...template,
        id: attachmentId,
        messageId: id,
        name: `photo-${index + 1}.jpg`,
        position: 0,
        createdAt: at,
        updatedAt: at,
      });
      derivatives.push({ ...thumbnail, id: newId(at), attachmentId, createdAt: at });
    }
  }
  const chunk = <T>(rows: T[], size: number): T[][] =>
    Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));
  await db.transaction().execute(async (tx) => {
    for (const rows of chunk(messages, 200)) await tx.insertInto('messages').values(rows).execute();
    for (const rows of chunk(attachments, 100)) await tx.insertInto('attachments').values(rows).execute();
    for (const rows of chunk(derivatives, 100)) await tx.insertInto('derivatives').values(rows).execute();
  });
}

/** Uploads one file through the API and waits until its thumbnail exists. */
export async function processedUpload(
  h: Harness,
  client: Client,
  file: { name: string; bytes: Buffer; type: string },
): Promise<Attachment> {
  const response = await client.upload<{ attachments: Attachment[] }>([file]);
  const attachment = response.body.attachments[0];
  if (!attachment) throw new Error(`Upload failed: ${JSON.stringify(response.body)}`);
  await h.deps.queue.idle();
  return attachment;
}

/** Signs in through the real form. */
export async function signInThroughForm(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
  options: { screenshot?: string } = {},
) {
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/login$/);
  if (options.screenshot) await page.screenshot({ path: options.screenshot });
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('.ticket-list-pane');
}
