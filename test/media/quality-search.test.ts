import { describe, expect, it } from 'vitest';
import { predictQuality, searchQuality } from '../../src/server/media/transform/quality-search.js';

/** A JPEG-like size curve: log(size) linear in quality, with a little curvature. */
const curve = (base: number) => (quality: number) =>
  Math.round(base * Math.exp(0.024 * quality + 0.0001 * quality * quality));

function recorder(sizeOf: (q: number) => number) {
  const calls: number[] = [];
  return { calls, sizeAt: async (q: number) => (calls.push(q), sizeOf(q)) };
}

describe('searchQuality', () => {
  it('tries the ceiling first and stops there when it fits', async () => {
    const { calls, sizeAt } = recorder(curve(1000));
    const result = await searchQuality(sizeAt, {
      budget: 1e9,
      minQuality: 40,
      maxQuality: 90,
      goodEnough: 0.93,
    });
    expect(result.quality).toBe(90);
    expect(calls).toEqual([90]);
  });

  it('finds a quality within the budget, close to the best one, in a few steps', async () => {
    const sizeOf = curve(1000);
    for (const budget of [5000, 8000, 12000, 20000]) {
      const { calls, sizeAt } = recorder(sizeOf);
      const result = await searchQuality(sizeAt, {
        budget,
        minQuality: 40,
        maxQuality: 90,
        goodEnough: 0.93,
      });
      const q = result.quality ?? -1;
      expect(sizeOf(q)).toBeLessThanOrEqual(budget);
      expect(calls[0]).toBe(90);
      expect(calls.length).toBeLessThanOrEqual(6);
      // Either it uses most of the budget, or the next quality up does not fit.
      expect(sizeOf(q) >= 0.93 * budget || sizeOf(q + 1) > budget).toBe(true);
    }
  });

  it('reports no quality when even the floor is over budget', async () => {
    const { sizeAt } = recorder(curve(1000));
    const result = await searchQuality(sizeAt, {
      budget: 100,
      minQuality: 40,
      maxQuality: 90,
      goodEnough: 0.93,
    });
    expect(result.quality).toBeUndefined();
    expect(result.samples.length).toBeGreaterThan(0);
  });

  it('uses a prior to start near the answer', async () => {
    const sizeOf = curve(1000);
    const { calls, sizeAt } = recorder(sizeOf);
    const prior = [40, 90].map((quality) => ({ quality, size: sizeOf(quality) }));
    const result = await searchQuality(sizeAt, {
      budget: 8000,
      minQuality: 40,
      maxQuality: 90,
      goodEnough: 0.93,
      prior,
    });
    expect(calls[0]).not.toBe(90);
    expect(sizeOf(result.quality ?? -1)).toBeLessThanOrEqual(8000);
  });
});

describe('predictQuality', () => {
  it('interpolates log(size) linearly', () => {
    const samples = [
      { quality: 40, size: 100 },
      { quality: 90, size: 100 * Math.E },
    ];
    expect(predictQuality(samples, 100 * Math.exp(0.5))).toBeCloseTo(65, 6);
  });
});
