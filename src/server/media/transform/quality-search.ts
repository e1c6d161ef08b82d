// Searches the highest JPEG quality whose size stays within a budget, given any function that
// tells the size at a quality. The ceiling is tried first (most pictures that already fit stop
// there); after that, each step interpolates with log(size) taken as linear in quality, which
// holds well for JPEG between quality 40 and 90, and bisects when interpolation stalls.

export interface SizeSample {
  quality: number;
  size: number;
}

export interface QualitySearchOptions {
  budget: number;
  minQuality: number;
  maxQuality: number;
  /** Stop once a fitting quality uses this share of the budget. */
  goodEnough: number;
  /** Sizes predicted for this picture before any measurement (from a larger scale). */
  prior?: readonly SizeSample[];
}

/**
 * Largest ratio between the sizes at quality 90 and at quality 40 seen on photos, screenshots
 * and flat graphics (typically 2.5–3.5): when the ceiling is more than this ratio over budget,
 * the floor cannot fit either and is not measured.
 */
export const MAX_CEILING_TO_FLOOR_RATIO = 5;

export interface QualitySearchResult {
  /** Highest fitting quality found, or undefined when even minQuality is over budget. */
  quality: number | undefined;
  samples: SizeSample[];
}

/** Assumed growth of log(size) per quality step until two measurements give the slope. */
const DEFAULT_SLOPE = 0.022;

/** The quality whose size should be `target`, from measured (or predicted) samples. */
export function predictQuality(samples: readonly SizeSample[], target: number): number {
  const sorted = [...samples].sort((a, b) => a.quality - b.quality);
  const low = sorted[0];
  const high = sorted.at(-1);
  if (!low || !high) return Number.POSITIVE_INFINITY;
  let slope = DEFAULT_SLOPE;
  if (high.quality > low.quality && high.size > low.size) {
    slope = Math.log(high.size / low.size) / (high.quality - low.quality);
  }
  const anchor = sorted.reduce((a, b) =>
    Math.abs(Math.log(a.size / target)) <= Math.abs(Math.log(b.size / target)) ? a : b,
  );
  return anchor.quality + Math.log(target / anchor.size) / slope;
}

export async function searchQuality(
  sizeAt: (quality: number) => Promise<number>,
  options: QualitySearchOptions,
): Promise<QualitySearchResult> {
  const { budget, minQuality: minQ, maxQuality: maxQ, goodEnough } = options;
  const prior = options.prior ?? [];
  const target = budget * (1 - (1 - goodEnough) / 2);
  const samples: SizeSample[] = [];
  let best: SizeSample | undefined;
  let failQ = maxQ + 1;

  const attempt = async (quality: number): Promise<boolean> => {
    const size = await sizeAt(quality);
    samples.push({ quality, size });
    if (size <= budget) {
      if (!best || quality > best.quality) best = { quality, size };
      return true;
    }
    failQ = Math.min(failQ, quality);
    return false;
  };
  const result = (): QualitySearchResult => ({ quality: best?.quality, samples });

  const first = prior.length === 0 ? maxQ : Math.round(predictQuality(prior, target));
  if (first >= maxQ) {
    if (await attempt(maxQ)) return result();
    const ceilingSize = samples[0]?.size ?? 0;
    const ratio = MAX_CEILING_TO_FLOOR_RATIO ** ((maxQ - minQ) / 50);
    if (ceilingSize / ratio > budget) return result();
  } else if (first <= minQ) {
    if (!(await attempt(minQ))) return result();
  } else {
    await attempt(first);
  }

  let lastFit: boolean | undefined;
  let sameSide = 0;
  for (;;) {
    const fitQ = best?.quality ?? minQ - 1;
    if (best && (best.size >= budget * goodEnough || failQ - fitQ <= 1)) break;
    if (!best && failQ <= minQ) break;
    let next: number;
    if (!best) {
      // Nothing fits yet: extrapolate downwards, or take the floor.
      const basis = samples.length > 1 ? samples : [...prior, ...samples];
      const predicted = Math.round(predictQuality(basis, target));
      next = predicted <= minQ ? minQ : Math.min(failQ - 1, predicted);
    } else if (sameSide >= 2) {
      // Interpolation keeps landing on one side of the target: bisect once.
      next = Math.floor((fitQ + failQ) / 2);
    } else {
      next = Math.min(failQ - 1, Math.max(fitQ + 1, Math.round(predictQuality(samples, target))));
    }
    const fits = await attempt(next);
    sameSide = fits === lastFit ? sameSide + 1 : 1;
    lastFit = fits;
  }
  return result();
}
