// A small node:http server for the provider simulators: binds to loopback by default, reads
// each request body, records every request for inspection, and closes its open connections
// (including slow streams) on close().
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path with the query string, as received. */
  path: string;
  /** Path without the query string. */
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Milliseconds since the epoch, from the simulator's clock. */
  receivedAt: number;
}

export interface SimRequest extends RecordedRequest {
  raw: IncomingMessage;
}

export type SimHandler = (request: SimRequest, response: ServerResponse) => Promise<void> | void;

export interface LoopbackServerOptions {
  host?: string;
  port?: number;
  /** Request bodies above this many bytes are refused with 413. */
  maxBodyBytes?: number;
  clock?: () => number;
  /** Keep at most this many recorded requests, dropping the oldest (default 1000). */
  maxRecordedRequests?: number;
  handle: SimHandler;
  onRequest?: (request: RecordedRequest) => void;
}

export interface LoopbackServer {
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buffer.length;
    if (total > limit) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain',
): void {
  response.writeHead(status, {
    'content-type': `${contentType}; charset=utf-8`,
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const clock = options.clock ?? Date.now;
  const limit = options.maxBodyBytes ?? 150 * 1024 * 1024;
  const requests: RecordedRequest[] = [];
  const maxRecorded = options.maxRecordedRequests ?? 1000;
  const server = createServer((raw, response) => {
    void (async () => {
      const body = await readBody(raw, limit);
      const url = new URL(raw.url ?? '/', 'http://simulator.invalid');
      const recorded: RecordedRequest = {
        method: raw.method ?? 'GET',
        path: raw.url ?? '/',
        pathname: url.pathname,
        query: url.searchParams,
        headers: raw.headers,
        body: body ?? Buffer.alloc(0),
        receivedAt: clock(),
      };
      requests.push(recorded);
      if (requests.length > maxRecorded) requests.splice(0, requests.length - maxRecorded);
      options.onRequest?.(recorded);
      if (body === undefined) {
        sendText(response, 413, 'Request body too large');
        return;
      }
      await options.handle({ ...recorded, raw }, response);
    })().catch((error: unknown) => {
      if (!response.headersSent) sendText(response, 500, error instanceof Error ? error.message : 'error');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    baseUrl: `http://${urlHost}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
