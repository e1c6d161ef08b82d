// Channels of the test adapter, and signed webhooks delivered to them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Channel } from '../../src/shared/api-schemas.js';
import type { Client } from './client.js';
import type { Harness } from './harness.js';
import { signTest } from './test-adapter.js';

export const CHANNEL_SECRET = 'test-secret-123';

export async function buildChannel(client: Client, kind = 'sms', name = 'Test line'): Promise<Channel> {
  const response = await client.request<Channel>('POST', '/api/channels', {
    kind,
    name,
    config: { secret: CHANNEL_SECRET },
  });
  if (response.status !== 201)
    throw new Error(`Could not create a channel: ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface WebhookMessage {
  type?: 'message';
  id: string;
  from: string;
  name?: string;
  text?: string;
  media?: Array<{ url: string; type?: string; name?: string }>;
}

export interface WebhookStatus {
  type: 'status';
  id: string;
  status: 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed';
  errorCode?: string;
}

export async function deliver(
  harness: Harness,
  channel: Pick<Channel, 'id' | 'kind'>,
  events: Array<WebhookMessage | WebhookStatus>,
  secret = CHANNEL_SECRET,
): Promise<Response> {
  const body = JSON.stringify({ events: events.map((event) => ({ type: 'message', ...event })) });
  return fetch(`${harness.url}/webhooks/${channel.kind}/${channel.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-signature': signTest(secret, body) },
    body,
  });
}

/** A provider's media host on loopback: serves the registered files, or the failure asked for. */
export interface MediaHost {
  url: string;
  files: Map<string, { bytes: Buffer; type: string } | { status: number }>;
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startMediaHost(): Promise<MediaHost> {
  const files: MediaHost['files'] = new Map();
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const file = files.get(path);
    if (!file) {
      response.writeHead(404).end('not here');
      return;
    }
    if ('status' in file) {
      response.writeHead(file.status).end('failure');
      return;
    }
    response
      .writeHead(200, { 'content-type': file.type, 'content-length': String(file.bytes.length) })
      .end(file.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
