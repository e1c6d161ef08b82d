// Waiting for the browser in end-to-end runs of the agent app.
import { expect } from 'vitest';

/** `expect.poll` with a patience that suits a browser on a busy two-core machine. */
export function eventually<T>(read: () => T | Promise<T>, options: { timeout?: number } = {}) {
  return expect.poll(read, { interval: 50, ...options, timeout: Math.max(options.timeout ?? 0, 10_000) });
}
