// Requests the first screen needs, started before React and the session check, so the
// newest messages of a ticket opened by URL do not wait for a chain of round trips. Each
// preloaded answer is taken once; later reads go to the network as usual.
import { ApiError, get } from './http.js';

const pending = new Map<string, Promise<unknown>>();

export function preload(path: string): void {
  if (pending.has(path)) return;
  const request = get<unknown>(path);
  request.catch(() => undefined);
  pending.set(path, request);
}

/** The preloaded answer for this path if there is one, else a fresh request. */
export function getPreloaded<T>(path: string): Promise<T> {
  const request = pending.get(path);
  if (!request) return get<T>(path);
  pending.delete(path);
  // Started before sign-in: ask again now that there is a session.
  return (request as Promise<T>).catch((error: unknown) =>
    error instanceof ApiError && error.status === 401 ? get<T>(path) : Promise.reject(error),
  );
}
