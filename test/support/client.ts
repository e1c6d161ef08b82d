// An HTTP client that signs in like the agent app does (cookie + CSRF header).
import type { Harness } from './harness.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  raw: Buffer;
}

export interface Client {
  cookie: string | null;
  csrf: string | null;
  token: string | null;
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
  upload<T = Record<string, unknown>>(
    files: Array<{ name: string; bytes: Buffer | Uint8Array; type?: string }>,
    path?: string,
  ): Promise<ApiResponse<T>>;
}

export function anonymous(harness: Pick<Harness, 'url'>): Client {
  return makeClient(harness, null, null, null);
}

function makeClient(
  harness: Pick<Harness, 'url'>,
  cookie: string | null,
  csrf: string | null,
  token: string | null,
): Client {
  const send = async <T>(
    method: string,
    path: string,
    init: { body?: BodyInit; headers: Record<string, string> },
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...init.headers };
    if (cookie) headers.cookie = cookie;
    if (csrf) headers['x-csrf-token'] = csrf;
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${harness.url}${path}`, {
      method,
      headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    const raw = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    const body = (
      type.includes('json') && raw.length ? JSON.parse(raw.toString('utf8')) : raw.toString('utf8')
    ) as T;
    return { status: response.status, headers: response.headers, body, raw };
  };
  const client: Client = {
    cookie,
    csrf,
    token,
    request(method, path, body, headers = {}) {
      return send(method, path, {
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
    },
    upload(files, path = '/api/uploads') {
      const form = new FormData();
      for (const file of files) {
        form.append(
          'file',
          new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }),
          file.name,
        );
      }
      return send('POST', path, { body: form, headers: {} });
    },
  };
  return client;
}

export async function signIn(
  harness: Pick<Harness, 'url'>,
  email: string,
  password: string,
): Promise<Client> {
  const response = await fetch(`${harness.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200)
    throw new Error(`Sign-in failed with ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { csrfToken: string };
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return makeClient(harness, cookie, body.csrfToken, null);
}

/** The same signed-in session, sent to another instance of the server. */
export function onInstance(target: Pick<Harness, 'url'>, client: Client): Client {
  return makeClient(target, client.cookie, client.csrf, client.token);
}

export function withToken(harness: Pick<Harness, 'url'>, token: string): Client {
  return makeClient(harness, null, null, token);
}
