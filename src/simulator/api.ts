// Calls to the helpdesk's API from the simulator page, with the agent's session cookie and
// its CSRF token.
import type { ChannelKind } from '../shared/api-schemas.js';

export interface SimulatorChannel {
  id: string;
  kind: ChannelKind;
  name: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  /** Posts multipart form data (files). */
  send<T>(path: string, form: FormData): Promise<T>;
}

async function read<T>(response: Response): Promise<T> {
  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const message =
      typeof body === 'object' && body !== null && 'error' in body
        ? String((body as { error: { message?: unknown } }).error.message ?? response.statusText)
        : response.statusText;
    throw new ApiError(response.status, message);
  }
  return body as T;
}

export function createApi(csrf: () => string | null): Api {
  const headers = (json: boolean): Record<string, string> => {
    const token = csrf();
    return {
      ...(json ? { 'content-type': 'application/json' } : {}),
      ...(token ? { 'x-csrf-token': token } : {}),
    };
  };
  return {
    get: async (path) => read(await fetch(path, { credentials: 'same-origin' })),
    post: async (path, body) =>
      read(
        await fetch(path, {
          method: 'POST',
          credentials: 'same-origin',
          headers: headers(true),
          body: JSON.stringify(body),
        }),
      ),
    send: async (path, form) =>
      read(
        await fetch(path, {
          method: 'POST',
          credentials: 'same-origin',
          headers: headers(false),
          body: form,
        }),
      ),
  };
}
