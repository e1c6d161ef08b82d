// A tiny node:http server standing in for our side in fake-provider tests: a webhook
// endpoint, or a media host serving the URLs we hand to a provider.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface StubAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface HttpStub {
  baseUrl: string;
  /** Absolute URL for a path on the stub. */
  url(path: string): string;
  received: StubRequest[];
  /** The first request (past or future) matching the predicate. */
  waitFor(predicate?: (request: StubRequest) => boolean, timeoutMs?: number): Promise<StubRequest>;
  /** Resolves once `count` requests matching the predicate have arrived. */
  waitForCount(
    count: number,
    predicate?: (request: StubRequest) => boolean,
    timeoutMs?: number,
  ): Promise<StubRequest[]>;
  close(): Promise<void>;
}

export async function startHttpStub(
  respond: (request: StubRequest) => StubAnswer | Promise<StubAnswer> = () => ({ status: 200 }),
): Promise<HttpStub> {
  const received: StubRequest[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((raw, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of raw) chunks.push(chunk as Buffer);
      const request: StubRequest = {
        method: raw.method ?? 'GET',
        path: raw.url ?? '/',
        headers: raw.headers,
        body: Buffer.concat(chunks),
      };
      received.push(request);
      for (const wake of waiters.splice(0)) wake();
      const answer = await respond(request);
      const body = answer.body === undefined ? Buffer.alloc(0) : Buffer.from(answer.body);
      response.writeHead(answer.status ?? 200, { 'content-length': String(body.length), ...answer.headers });
      response.end(request.method === 'HEAD' ? undefined : body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  const waitForCount = (
    count: number,
    predicate: (request: StubRequest) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<StubRequest[]> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const matches = received.filter(predicate);
        if (matches.length < count) return false;
        clearTimeout(timer);
        resolve(matches.slice(0, count));
        return true;
      };
      const timer = setTimeout(() => reject(new Error(`Expected ${count} request(s), got fewer`)), timeoutMs);
      const listen = (): void => {
        if (!check()) waiters.push(listen);
      };
      listen();
    });

  return {
    baseUrl,
    url: (path) => `${baseUrl}${path}`,
    received,
    waitForCount,
    waitFor: async (predicate, timeoutMs) => {
      const [first] = await waitForCount(1, predicate, timeoutMs);
      if (!first) throw new Error('No request arrived');
      return first;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Form fields of a received request, in order, repeated names kept. */
export const formFields = (request: StubRequest): Array<[string, string]> => [
  ...new URLSearchParams(request.body.toString('utf8')).entries(),
];
