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

const gaussianWindow = (): Float64Array => {
  const weights = new Float64Array(2 * RADIUS + 1);
  let sum = 0;
  for (let i = -RADIUS; i <= RADIUS; i += 1) {
    const w = Math.exp(-(i * i) / (2 * SIGMA * SIGMA));
    weights[i + RADIUS] = w;
    sum += w;
  }
  return weights.map((w) => w / sum);
};

const WINDOW = gaussianWindow();

/** Separable 'valid' filtering: the output excludes a RADIUS-wide border. */
function blur(src: Float32Array, width: number, height: number): Float32Array {
  const outW = width - 2 * RADIUS;
  const outH = height - 2 * RADIUS;
  const horizontal = new Float32Array(outW * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    for (let x = 0; x < outW; x += 1) {
      let acc = 0;
      for (let k = 0; k < WINDOW.length; k += 1) acc += (WINDOW[k] ?? 0) * (src[row + x + k] ?? 0);
      horizontal[y * outW + x] = acc;
    }
  }
  const out = new Float32Array(outW * outH);
  for (let y = 0; y < outH; y += 1) {
    for (let x = 0; x < outW; x += 1) {
      let acc = 0;
      for (let k = 0; k < WINDOW.length; k += 1)
        acc += (WINDOW[k] ?? 0) * (horizontal[(y + k) * outW + x] ?? 0);
      out[y * outW + x] = acc;
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
  const n = width * height;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const xx = new Float32Array(n);
  const yy = new Float32Array(n);
  const xy = new Float32Array(n);
  for (let i = 0; i < n; i += 1) {
    const p = a.data[i] ?? 0;
    const q = b.data[i] ?? 0;
    x[i] = p;
    y[i] = q;
    xx[i] = p * p;
    yy[i] = q * q;
    xy[i] = p * q;
  }
  const muX = blur(x, width, height);
  const muY = blur(y, width, height);
  const eXX = blur(xx, width, height);
  const eYY = blur(yy, width, height);
  const eXY = blur(xy, width, height);
  let total = 0;
  for (let i = 0; i < muX.length; i += 1) {
    const mx = muX[i] ?? 0;
    const my = muY[i] ?? 0;
    const vx = (eXX[i] ?? 0) - mx * mx;
    const vy = (eYY[i] ?? 0) - my * my;
    const cov = (eXY[i] ?? 0) - mx * my;
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
