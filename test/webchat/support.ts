// A webchat visitor in tests: talks to /api/widget/:channelId like the widget does (token
// header, Origin of the embedding page), plus a server set up with the webchat channel.
import WebSocket from 'ws';
import type { Attachment, Channel, Message } from '../../src/shared/api-schemas.js';
import type {
  MessagePage,
  NewVisitorResponse,
  VisitorAttachment,
  VisitorMessage,
  VisitorSocketFrame,
} from '../../src/shared/webchat-api.js';
import {
  webchatAdapter,
  webchatRoutes,
  type WebchatRouteOptions,
} from '../../src/server/channels/webchat/webchat-channel.js';
import { signIn, type ApiResponse, type Client } from '../support/client.js';
import {
  buildAccount,
  createHarness,
  type Harness,
  type HarnessOptions,
  type TestAccount,
} from '../support/harness.js';

export const SHOP_ORIGIN = 'https://shop.example';

export interface WebchatSetup {
  h: Harness;
  account: TestAccount;
  agent: Client;
  channel: Channel;
}

export async function createWebchatHarness(
  options: { routes?: WebchatRouteOptions; harness?: HarnessOptions; config?: Record<string, unknown> } = {},
): Promise<WebchatSetup> {
  const h = await createHarness({
    ...options.harness,
    adapters: [webchatAdapter()],
    extraRoutes: [webchatRoutes(options.routes)],
  });
  const account = await buildAccount(h);
  const agent = await signIn(h, account.admin.email, account.admin.password);
  const channel = await createWebchatChannel(agent, options.config);
  return { h, account, agent, channel };
}

export async function createWebchatChannel(
  agent: Client,
  config: Record<string, unknown> = {},
): Promise<Channel> {
  const response = await agent.request<Channel>('POST', '/api/channels', {
    kind: 'webchat',
    name: 'Website chat',
    config: { allowedOrigins: [SHOP_ORIGIN], ...config },
  });
  if (response.status !== 201)
    throw new Error(`channel: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

let clientIds = 0;
export const nextClientId = (): string => `msg-${Date.now().toString(36)}-${++clientIds}`;

export interface VisitorClient {
  token: string | null;
  visitorId: string | null;
  channelId: string;
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
  start(details?: { name?: string; email?: string }): Promise<NewVisitorResponse>;
  upload(
    files: Array<{ name: string; bytes: Buffer; type?: string }>,
  ): Promise<ApiResponse<{ attachments: VisitorAttachment[] }>>;
  send(text: string, attachmentIds?: string[], clientId?: string): Promise<ApiResponse<VisitorMessage>>;
  messages(): Promise<MessagePage>;
}

export function visitorClient(
  h: Harness,
  channelId: string,
  origin: string | null = SHOP_ORIGIN,
): VisitorClient {
  const base = `/api/widget/${channelId}`;
  const client: VisitorClient = {
    token: null,
    visitorId: null,
    channelId,
    async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const all: Record<string, string> = { ...headers };
      if (origin) all.origin = origin;
      if (client.token) all['x-visitor-token'] = client.token;
      let payload: BodyInit | undefined;
      if (body instanceof FormData) payload = body;
      else if (body !== undefined) {
        all['content-type'] = 'application/json';
        payload = JSON.stringify(body);
      }
      const response = await fetch(`${h.url}${path.startsWith('/') ? path : `${base}/${path}`}`, {
        method,
        headers: all,
        ...(payload !== undefined ? { body: payload } : {}),
      });
      const raw = Buffer.from(await response.arrayBuffer());
      const type = response.headers.get('content-type') ?? '';
      const parsed = (
        type.includes('json') && raw.length ? JSON.parse(raw.toString('utf8')) : raw.toString('utf8')
      ) as T;
      return { status: response.status, headers: response.headers, body: parsed, raw };
    },
    async start(details = {}) {
      const response = await client.request<NewVisitorResponse>('POST', 'visitors', details);
      if (response.status !== 201)
        throw new Error(`visitor: ${response.status} ${JSON.stringify(response.body)}`);
      client.token = response.body.token;
      client.visitorId = response.body.visitor.id;
      return response.body;
    },
    upload(files) {
      const form = new FormData();
      for (const file of files) {
        form.append(
          'file',
          new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }),
          file.name,
        );
      }
      return client.request('POST', 'uploads', form);
    },
    send(text, attachmentIds = [], clientId = nextClientId()) {
      return client.request('POST', 'messages', { clientId, text, attachmentIds });
    },
    async messages() {
      const response = await client.request<MessagePage>('GET', 'messages');
      if (response.status !== 200)
        throw new Error(`messages: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
  };
  return client;
}

/** A visitor's socket that records every frame it receives. */
export interface VisitorSocket {
  frames: VisitorSocketFrame[];
  closed: Promise<{ code: number; reason: string }>;
  waitFor(predicate: (frame: VisitorSocketFrame) => boolean, timeoutMs?: number): Promise<VisitorSocketFrame>;
  close(): void;
}

export function openVisitorSocket(
  h: Harness,
  visitor: VisitorClient,
  options: { since?: number; origin?: string; token?: string | null } = {},
): Promise<VisitorSocket> {
  const query = options.since !== undefined ? `?since=${options.since}` : '';
  const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api/widget/${visitor.channelId}/ws${query}`, {
    headers: { origin: options.origin ?? SHOP_ORIGIN },
  });
  const frames: VisitorSocketFrame[] = [];
  const waiters: Array<() => void> = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as VisitorSocketFrame);
    for (const wake of waiters.splice(0)) wake();
  });
  const socket: VisitorSocket = {
    frames,
    closed,
    async waitFor(predicate, timeoutMs = 8000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = frames.find(predicate);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`no such frame; got ${JSON.stringify(frames.map((f) => f.type))}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.on('open', () => {
      const token = options.token === undefined ? visitor.token : options.token;
      if (token !== null) ws.send(JSON.stringify({ type: 'auth', token }));
      resolve(socket);
    });
    ws.on('unexpected-response', (_request, response) =>
      reject(new Error(`handshake refused: ${response.statusCode}`)),
    );
    ws.on('error', reject);
  });
}

/** The agent's view of the visitor's ticket (the only one on the channel in most tests). */
export async function agentThread(agent: Client, ticketId: string): Promise<Message[]> {
  const response = await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticketId}/messages`);
  return response.body.messages;
}

export async function agentReply(
  agent: Client,
  ticketId: string,
  text: string,
  files: Array<{ name: string; bytes: Buffer; type?: string }> = [],
  note = false,
): Promise<Message> {
  const uploaded = files.length ? await agent.upload<{ attachments: Attachment[] }>(files) : null;
  const response = await agent.request<Message>('POST', `/api/tickets/${ticketId}/messages`, {
    text,
    attachmentIds: uploaded?.body.attachments.map((attachment) => attachment.id) ?? [],
    ...(note ? { note: true } : {}),
  });
  if (response.status !== 201) throw new Error(`reply: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A small one-page PDF, made here so no binary fixture lives in the repository. */
export function tinyPdf(text = 'Order 1234 invoice'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = `BT /F1 18 Tf 30 100 Td (${text}) Tj ET`;
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
