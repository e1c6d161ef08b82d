import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ssim, ssimGrey } from '../../src/server/media/transform/ssim.js';
import { photoLikeRaw } from './synthetic-images.js';

describe('ssim', () => {
  it('is 1 for identical pictures and falls as JPEG quality falls', async () => {
    const raw = await photoLikeRaw(800, 600, 51);
    const source = { ...raw, channels: 3 as const };
    const encode = (quality: number) =>
      sharp(raw.data, { raw: { width: 800, height: 600, channels: 3 } })
        .jpeg({ quality })
        .toBuffer();
    expect(await ssim(source, source)).toBeCloseTo(1, 6);
    const high = await ssim(source, await encode(90));
    const mid = await ssim(source, await encode(50));
    const low = await ssim(source, await encode(5));
    expect(high).toBeLessThan(1);
    expect(high).toBeGreaterThan(mid);
    expect(mid).toBeGreaterThan(low);
    expect(low).toBeGreaterThan(0);
  });

  it('matches the closed form for a constant shift', () => {
    // Two flat pictures of levels a and b: SSIM = (2ab + C1) / (a² + b² + C1) everywhere.
    const a = { data: new Uint8Array(32 * 32).fill(100), width: 32, height: 32 };
    const b = { data: new Uint8Array(32 * 32).fill(150), width: 32, height: 32 };
    const c1 = (0.01 * 255) ** 2;
    expect(ssimGrey(a, b)).toBeCloseTo((2 * 100 * 150 + c1) / (100 ** 2 + 150 ** 2 + c1), 5);
  });

  it('refuses pictures of different sizes or smaller than the window', () => {
    const small = { data: new Uint8Array(100), width: 10, height: 10 };
    expect(() => ssimGrey(small, small)).toThrow(RangeError);
    const a = { data: new Uint8Array(20 * 20), width: 20, height: 20 };
    const b = { data: new Uint8Array(20 * 21), width: 20, height: 21 };
    expect(() => ssimGrey(a, b)).toThrow(/same size/);
  });
});
