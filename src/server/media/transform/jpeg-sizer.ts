// JPEG sizes of one raw picture at any quality, cheaply. A large picture's size is estimated
// by encoding a spread-out sample of it (every fourth 16-row band, every eighth above 6 MP; a
// band is one 4:2:0 MCU row, so no block straddles two bands) and scaling up; on photos this
// tracks the full encode within about 1 %.
// Real encodes are cached by quality so that the search never encodes the same quality twice.
import sharp from 'sharp';
import type { RawPixels } from './ssim.js';

export interface JpegEncodeOptions {
  mozjpeg?: boolean;
}

export interface JpegSizer {
  /** Estimated size in bytes of the full encode at this quality (exact when not sampled). */
  estimate(quality: number): Promise<number>;
  /** The full encode at this quality. */
  encode(quality: number): Promise<Buffer>;
  /** Whether estimates come from a sample rather than from full encodes. */
  readonly sampled: boolean;
  /** Encodes done so far: full ones, and sample ones. */
  counts(): { full: number; sample: number };
}

const BAND = 16;
const EVERY = 4;
const EVERY_LARGE = 8;
const LARGE_PIXELS = 6_000_000;
/** Pictures below this many pixels are measured with full encodes. */
export const SAMPLE_MIN_PIXELS = 1_500_000;

export const encodeJpeg = (
  pixels: RawPixels,
  quality: number,
  options: JpegEncodeOptions = {},
): Promise<Buffer> =>
  sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } })
    .jpeg({ quality, chromaSubsampling: '4:2:0', optimiseCoding: true, mozjpeg: options.mozjpeg ?? false })
    .toBuffer();

function sampleBands(pixels: RawPixels): { sample: RawPixels; scale: number } {
  const rowBytes = pixels.width * pixels.channels;
  const bands: Buffer[] = [];
  const totalBands = Math.ceil(pixels.height / BAND);
  const every = pixels.width * pixels.height >= LARGE_PIXELS ? EVERY_LARGE : EVERY;
  // Start half a stride in, so that the sample does not always begin at the top edge.
  for (let band = Math.floor(every / 2); band < totalBands; band += every) {
    const top = band * BAND;
    bands.push(pixels.data.subarray(top * rowBytes, Math.min(pixels.height, top + BAND) * rowBytes));
  }
  const data = Buffer.concat(bands);
  const height = data.length / rowBytes;
  return {
    sample: { data, width: pixels.width, height, channels: pixels.channels },
    scale: pixels.height / height,
  };
}

export function createJpegSizer(pixels: RawPixels, options: JpegEncodeOptions = {}): JpegSizer {
  const full = new Map<number, Promise<Buffer>>();
  const estimates = new Map<number, Promise<number>>();
  let fullCount = 0;
  let sampleCount = 0;
  const sampled = pixels.width * pixels.height >= SAMPLE_MIN_PIXELS && pixels.height >= BAND * EVERY * 8;
  const bands = sampled ? sampleBands(pixels) : undefined;

  const encode = (quality: number): Promise<Buffer> => {
    let pending = full.get(quality);
    if (!pending) {
      fullCount += 1;
      pending = encodeJpeg(pixels, quality, options);
      full.set(quality, pending);
    }
    return pending;
  };

  const estimate = (quality: number): Promise<number> => {
    if (!bands) return encode(quality).then((buffer) => buffer.length);
    let pending = estimates.get(quality);
    if (!pending) {
      sampleCount += 1;
      pending = encodeJpeg(bands.sample, quality, options).then((buffer) =>
        Math.round(buffer.length * bands.scale),
      );
      estimates.set(quality, pending);
    }
    return pending;
  };

  return { estimate, encode, sampled, counts: () => ({ full: fullCount, sample: sampleCount }) };
}
