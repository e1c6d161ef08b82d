// Structural similarity (SSIM, Wang et al. 2004) of two pictures, on grey levels, with the
// standard 11×11 Gaussian window (σ = 1.5), K1 = 0.01, K2 = 0.03 and L = 255. Pictures are
// first brought to the same size, at most `maxEdge` on the long side, so that the score reflects
// what a viewer sees and costs a bounded amount of work.
import sharp from 'sharp';
import { MAX_INPUT_PIXELS } from './image-input.js';

export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Decoded pixels, as sharp's raw output describes them. */
export interface RawPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

export type SsimSource = string | Buffer | RawPixels;

export const SSIM_DEFAULT_MAX_EDGE = 1024;

const K1 = 0.01;
const K2 = 0.03;
const L = 255;
const C1 = (K1 * L) ** 2;
const C2 = (K2 * L) ** 2;
const RADIUS = 5;
const SIGMA = 1.5;

/** Half of the normalised 11-tap Gaussian window: weights for offsets 0…5. */
const HALF_WINDOW: readonly number[] = (() => {
  const raw = Array.from({ length: RADIUS + 1 }, (_, i) => Math.exp(-(i * i) / (2 * SIGMA * SIGMA)));
  const sum = raw.reduce((total, w, i) => total + (i === 0 ? w : 2 * w), 0);
  return raw.map((w) => w / sum);
})();

/**
 * Horizontal pass: for every row and every 'valid' column, the windowed means of x, y, x², y²
 * and xy, using the window's symmetry. Returns five planes of (width − 10) × height.
 */
function horizontalMoments(a: Uint8Array, b: Uint8Array, width: number, height: number): Float32Array[] {
  const outW = width - 2 * RADIUS;
  const planes = Array.from({ length: 5 }, () => new Float32Array(outW * height));
  const [mx, my, mxx, myy, mxy] = planes as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  const w = HALF_WINDOW;
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    for (let x = 0; x < outW; x += 1) {
      const c = row + x + RADIUS;
      const p0 = a[c]!;
      const q0 = b[c]!;
      let sx = w[0]! * p0;
      let sy = w[0]! * q0;
      let sxx = w[0]! * p0 * p0;
      let syy = w[0]! * q0 * q0;
      let sxy = w[0]! * p0 * q0;
      for (let k = 1; k <= RADIUS; k += 1) {
        const wk = w[k]!;
        const pl = a[c - k]!;
        const pr = a[c + k]!;
        const ql = b[c - k]!;
        const qr = b[c + k]!;
        sx += wk * (pl + pr);
        sy += wk * (ql + qr);
        sxx += wk * (pl * pl + pr * pr);
        syy += wk * (ql * ql + qr * qr);
        sxy += wk * (pl * ql + pr * qr);
      }
      const o = y * outW + x;
      mx[o] = sx;
      my[o] = sy;
      mxx[o] = sxx;
      myy[o] = syy;
      mxy[o] = sxy;
    }
  }
  return planes;
}

/** Vertical pass over one plane, in place of a new 'valid' plane of (width) × (height − 10). */
function verticalBlur(plane: Float32Array, width: number, height: number): Float32Array {
  const outH = height - 2 * RADIUS;
  const out = new Float32Array(width * outH);
  const w = HALF_WINDOW;
  for (let y = 0; y < outH; y += 1) {
    const centre = (y + RADIUS) * width;
    for (let x = 0; x < width; x += 1) {
      let acc = w[0]! * plane[centre + x]!;
      for (let k = 1; k <= RADIUS; k += 1) {
        acc += w[k]! * (plane[centre - k * width + x]! + plane[centre + k * width + x]!);
      }
      out[y * width + x] = acc;
    }
  }
  return out;
}

/** Mean SSIM of two grey pictures of the same size (each side at least 11 pixels). */
export function ssimGrey(a: GreyImage, b: GreyImage): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(
      `SSIM needs pictures of the same size (${a.width}×${a.height} vs ${b.width}×${b.height}).`,
    );
  }
  const { width, height } = a;
  if (width <= 2 * RADIUS || height <= 2 * RADIUS) {
    throw new RangeError(`SSIM needs pictures of at least ${2 * RADIUS + 1}×${2 * RADIUS + 1} pixels.`);
  }
  const outW = width - 2 * RADIUS;
  const [muX, muY, eXX, eYY, eXY] = horizontalMoments(a.data, b.data, width, height).map((plane) =>
    verticalBlur(plane, outW, height),
  ) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  let total = 0;
  for (let i = 0; i < muX.length; i += 1) {
    const mx = muX[i]!;
    const my = muY[i]!;
    const vx = eXX[i]! - mx * mx;
    const vy = eYY[i]! - my * my;
    const cov = eXY[i]! - mx * my;
    total += ((2 * mx * my + C1) * (2 * cov + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
  }
  return total / muX.length;
}

const open = (source: SsimSource): sharp.Sharp =>
  typeof source === 'string' || Buffer.isBuffer(source)
    ? sharp(source, { limitInputPixels: MAX_INPUT_PIXELS, pages: 1 }).rotate()
    : sharp(source.data, { raw: { width: source.width, height: source.height, channels: source.channels } });

async function displaySize(source: SsimSource): Promise<{ width: number; height: number }> {
  if (typeof source !== 'string' && !Buffer.isBuffer(source)) return source;
  const meta = await sharp(source, { limitInputPixels: false }).metadata();
  const w = meta.width ?? 0;
  const h = meta.pageHeight ?? meta.height ?? 0;
  return (meta.orientation ?? 1) >= 5 ? { width: h, height: w } : { width: w, height: h };
}

async function greyAt(source: SsimSource, width: number, height: number): Promise<GreyImage> {
  const data = await open(source)
    .flatten({ background: '#ffffff' })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .greyscale()
    .raw()
    .toBuffer();
  return { data, width, height };
}

/**
 * SSIM of `candidate` against `reference`, both converted to grey and resized to the
 * reference's display size bounded by `maxEdge` (default 1024; Infinity compares at full size).
 */
export async function ssim(
  reference: SsimSource,
  candidate: SsimSource,
  options: { maxEdge?: number } = {},
): Promise<number> {
  const maxEdge = options.maxEdge ?? SSIM_DEFAULT_MAX_EDGE;
  const size = await displaySize(reference);
  const scale = Math.min(1, maxEdge / Math.max(size.width, size.height));
  const width = Math.max(2 * RADIUS + 1, Math.round(size.width * scale));
  const height = Math.max(2 * RADIUS + 1, Math.round(size.height * scale));
  const [a, b] = await Promise.all([greyAt(reference, width, height), greyAt(candidate, width, height)]);
  return ssimGrey(a, b);
}
