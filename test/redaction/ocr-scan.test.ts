import { isAbsolute, join } from 'node:path';
import sharp from 'sharp';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/server/errors.js';
import { boxesOverlap } from '../../src/server/media/redaction/boxes.js';
import {
  localLangPath,
  networkBlockedMessage,
  offlineWorkerUrl,
} from '../../src/server/media/redaction/ocr-language.js';
import { createOcrPool } from '../../src/server/media/redaction/ocr-pool.js';
import { memoryScanCache, scanImageForPersonalData } from '../../src/server/media/redaction/scan-image.js';
import type { Box, FindingKind } from '../../src/server/media/redaction/types.js';

const fontSize = 20;
const planted: Array<{ kind: FindingKind; label: string; value: string; y: number }> = [
  { kind: 'email', label: 'Email', value: 'maria.silva@example.com', y: 80 },
  { kind: 'phone', label: 'Phone', value: '+55 11 91234-5678', y: 140 },
  { kind: 'card', label: 'Card', value: '4111 1111 1111 1111', y: 200 },
  { kind: 'iban', label: 'IBAN', value: 'DE89 3704 0044 0532 0130 00', y: 260 },
];
const valueX = 160;
/** DejaVu Sans advances ≈0.64 em a character on average for these strings. */
const valueBox = (item: (typeof planted)[number]): Box => ({
  x: valueX,
  y: item.y - fontSize,
  width: Math.round(item.value.length * fontSize * 0.64),
  height: Math.round(fontSize * 1.3),
});

async function screenshot(): Promise<Buffer> {
  const texts = planted.map(
    (item) =>
      `<text x="30" y="${item.y}" font-family="DejaVu Sans" font-size="${fontSize}" fill="#555">${item.label}</text>` +
      `<text x="${valueX}" y="${item.y}" font-family="DejaVu Sans" font-size="${fontSize}" fill="#111">${item.value}</text>`,
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="320"><rect width="100%" height="100%" fill="#ffffff"/>
    <text x="30" y="30" font-family="DejaVu Sans" font-size="${fontSize}" font-weight="bold">Order #123456789 placed 2024-05-01</text>
    ${texts.join('\n')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const pool = createOcrPool({ size: 1 });
afterAll(() => pool.close());

describe('offline text recognition', () => {
  it('reads the English model from the installed package', () => {
    const langPath = localLangPath();
    expect(isAbsolute(langPath)).toBe(true);
    expect(langPath).toContain(join('node_modules', '@tesseract.js-data', 'eng'));
  });

  it('runs the worker with fetch disabled, so a remote model would fail loudly', async () => {
    // Speak tesseract.js's worker protocol directly: ask the worker to load a model by URL.
    const worker = new Worker(offlineWorkerUrl());
    try {
      const reply = new Promise<{ status: string; data: unknown }>((resolve) =>
        worker.once('message', resolve),
      );
      worker.postMessage({
        workerId: 'test',
        jobId: 'load-model',
        action: 'loadLanguage',
        payload: { langs: 'eng', options: { langPath: 'http://127.0.0.1:9/models', cacheMethod: 'none' } },
      });
      let message = await reply;
      while (message.status === 'progress')
        message = await new Promise((resolve) => worker.once('message', resolve));
      expect(message.status).toBe('reject');
      expect(String(message.data)).toContain(networkBlockedMessage);
    } finally {
      await worker.terminate();
    }
  });

  it('refuses a language path that is not a local model directory', async () => {
    const remote = createOcrPool({ size: 1, langPath: 'https://cdn.example.com/eng' });
    await expect(remote.recognize(await screenshot())).rejects.toMatchObject({ code: 'not_ready' });
    await remote.close();
  });
});

describe('scanImageForPersonalData', () => {
  it('finds each planted kind with a box over where it was drawn, and no reference numbers', async () => {
    const result = await scanImageForPersonalData(await screenshot(), { pool });
    expect([result.width, result.height]).toEqual([900, 320]);
    expect(result.words).toBeGreaterThan(10);
    for (const item of planted) {
      const found = result.findings.filter((finding) => finding.kind === item.kind);
      expect(found, item.kind).toHaveLength(1);
      expect(
        boxesOverlap(found[0]?.box ?? { x: 0, y: 0, width: 0, height: 0 }, valueBox(item)),
        item.kind,
      ).toBe(true);
      for (const other of planted.filter((o) => o !== item)) {
        expect(boxesOverlap(found[0]?.box ?? valueBox(other), valueBox(other))).toBe(false);
      }
    }
    expect(result.findings.map((finding) => finding.kind).sort()).toEqual(['card', 'email', 'iban', 'phone']);
  });

  it('maps boxes back to original pixels when the image is upscaled for recognition', async () => {
    const small = await sharp(await screenshot())
      .resize(675)
      .png()
      .toBuffer();
    const result = await scanImageForPersonalData(small, { pool });
    expect(result.width).toBe(675);
    const email = result.findings.find((finding) => finding.kind === 'email');
    const expected = valueBox(planted[0] ?? { kind: 'email', label: '', value: '', y: 0 });
    const scaled = {
      x: expected.x * 0.75,
      y: expected.y * 0.75,
      width: expected.width * 0.75,
      height: expected.height * 0.75,
    };
    expect(email && boxesOverlap(email.box, scaled)).toBe(true);
    expect(email && email.box.x + email.box.width <= 675).toBe(true);
  });

  it('serves a repeated blob from the cache', async () => {
    const image = await screenshot();
    const cache = memoryScanCache();
    let recognitions = 0;
    const counting = {
      ...pool,
      recognize: (input: Buffer | string) => (recognitions++, pool.recognize(input)),
    };
    const first = await scanImageForPersonalData(image, { pool: counting, cache });
    const second = await scanImageForPersonalData(Buffer.from(image), { pool: counting, cache });
    expect(recognitions).toBe(1);
    expect(second.findings).toEqual(first.findings);
  });
});

describe('OCR pool limits', () => {
  it('refuses work beyond its queue with not_ready, and all work after close', async () => {
    const image = await screenshot();
    const small = createOcrPool({ size: 1, maxQueue: 1 });
    const running = small.recognize(image);
    const queued = small.recognize(image);
    const refused = await small.recognize(image).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('not_ready');
    expect(small.stats()).toMatchObject({ size: 1, busy: 1, queued: 1 });
    await Promise.all([running, queued]);
    await small.close();
    await expect(small.recognize(image)).rejects.toMatchObject({ code: 'not_ready' });
  });

  it('fails a job that runs past its time limit without leaving a worker behind', async () => {
    const slow = createOcrPool({ size: 1, timeoutMs: 1 });
    await expect(slow.recognize(await screenshot())).rejects.toThrow(/took longer than 1 ms/);
    // The abandoned job must not go on to start a worker once its image is decoded.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(slow.stats()).toMatchObject({ started: 0, busy: 0, queued: 0 });
    await slow.close();
  });

  it('reports an image that cannot be decoded as file_corrupt', async () => {
    await expect(pool.recognize(Buffer.from('not an image'))).rejects.toMatchObject({ code: 'file_corrupt' });
  });
});
