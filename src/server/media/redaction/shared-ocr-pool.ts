// One text-recognition pool per process, started on first use (most processes never need
// it: a worker holds ≈250 MB) and closed with the runtime.
import { createOcrPool, type OcrPool } from './ocr-pool.js';

export interface SharedOcrPool {
  /** The pool, created on the first call. */
  get(): OcrPool;
  /** Whether the pool has been created. */
  started(): boolean;
  close(): Promise<void>;
}

export function sharedOcrPool(create: () => OcrPool = () => createOcrPool()): SharedOcrPool {
  let pool: OcrPool | undefined;
  let closed = false;
  return {
    get() {
      if (closed) throw new Error('Text recognition has been shut down.');
      pool ??= create();
      return pool;
    },
    started: () => pool !== undefined,
    async close() {
      closed = true;
      const current = pool;
      pool = undefined;
      await current?.close();
    },
  };
}
