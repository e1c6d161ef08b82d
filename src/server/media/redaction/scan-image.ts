// Recognises the text of an image and proposes redaction boxes over personal data found in
// it. Results can be cached per blob (keyed by content hash), since a stored blob never changes.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { detectPersonalData, type DetectOptions } from './detectors/index.js';
import type { OcrPool } from './ocr-pool.js';
import type { Finding } from './types.js';

export interface ScanResult {
  findings: Finding[];
  /** Size of the auto-oriented image the boxes refer to. */
  width: number;
  height: number;
  /** Number of words recognised. */
  words: number;
  /** Time spent, in milliseconds (0 when served from the cache). */
  ms: number;
}

/** Where scan results are kept between calls; any store keyed by string will do. */
export interface ScanCache {
  get(key: string): Promise<ScanResult | undefined> | ScanResult | undefined;
  set(key: string, value: ScanResult): Promise<void> | void;
}

export interface ScanOptions extends DetectOptions {
  pool: OcrPool;
  cache?: ScanCache;
}

/** Bump when recognition or detection changes enough that cached results should be redone. */
export const scanVersion = 1;

export const scanCacheKey = (bytes: Buffer): string =>
  `pii-scan:v${scanVersion}:${createHash('sha256').update(bytes).digest('hex')}`;

export async function scanImageForPersonalData(
  input: string | Buffer,
  options: ScanOptions,
): Promise<ScanResult> {
  const started = performance.now();
  const bytes = typeof input === 'string' ? await readFile(input) : input;
  const key = options.cache ? scanCacheKey(bytes) : undefined;
  if (options.cache && key) {
    const cached = await options.cache.get(key);
    if (cached) return { ...cached, ms: 0 };
  }
  const page = await options.pool.recognize(bytes);
  const findings = detectPersonalData(page.words, options);
  const result: ScanResult = {
    findings,
    width: page.width,
    height: page.height,
    words: page.words.length,
    ms: Math.round(performance.now() - started),
  };
  if (options.cache && key) await options.cache.set(key, result);
  return result;
}

/** A small in-memory cache, most recently used kept, for a single process. */
export function memoryScanCache(limit = 200): ScanCache {
  const entries = new Map<string, ScanResult>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > limit) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
  };
}
