// Fits an image into a byte budget (an MMS of 600 KB, a WhatsApp image of 5 MB) as a JPEG:
// auto-oriented, all metadata dropped (EXIF, GPS, XMP, ICC: colours are converted to sRGB),
// transparency laid on white, first frame of an animation, downscaled to the channel's long
// edge, 4:2:0 chroma. The source is decoded once to raw pixels; JPEG quality is searched
// between a floor and a ceiling (ceiling first), on sizes estimated from a sample of the
// picture when it is large, then confirmed by a full encode; when even the floor is too big,
// the pixels shrink by ×0.75 and the search repeats. The result is always ≤ maxBytes.
import sharp from 'sharp';
import { AppError } from '../../errors.js';
import { type ImageInput, openImage, withImageErrors } from './image-input.js';
import { withDecodableImage } from './heic.js';
import { createJpegSizer } from './jpeg-sizer.js';
import type { ToolOverrides } from './media-tools.js';
import { type SizeSample, searchQuality } from './quality-search.js';
import { type RawPixels, ssim } from './ssim.js';

export interface FitImageOptions {
  maxBytes: number;
  /** Long edge of the result, in pixels; the image is never enlarged. */
  maxEdge?: number;
  format?: 'jpeg';
  /** Quality search bounds (libjpeg scale). Defaults 40 and 90. */
  minQuality?: number;
  maxQuality?: number;
  /** Encode with mozjpeg's trellis quantisation (smaller at equal quality, several times slower). */
  mozjpeg?: boolean;
  /** Measure SSIM (grey, at ssimMaxEdge) against the source and record it. Default on. */
  measureSsim?: boolean;
  /** Long edge at which SSIM is measured. Default 512. */
  ssimMaxEdge?: number;
  /** Explicit tool paths (heif-convert for HEIC input). */
  tools?: ToolOverrides;
}

export interface FitImageResult {
  buffer: Buffer;
  width: number;
  height: number;
  quality: number;
  /** Full-size JPEG encodes, every scale included. */
  encodes: number;
  /** Encodes of a row-band sample (1/4 or 1/8 of the picture) used to estimate sizes. */
  sampleEncodes: number;
  /** ×0.75 steps taken below maxEdge (or the source size): the result is 0.75^shrinkSteps of it. */
  shrinkSteps: number;
  ssim?: number;
  contentType: 'image/jpeg';
}

export const FIT_MIN_QUALITY = 40;
export const FIT_MAX_QUALITY = 90;
/** Smallest long edge tried before giving up. */
export const FIT_MIN_EDGE = 16;
export const FIT_SSIM_MAX_EDGE = 512;
const SHRINK = 0.75;
const GOOD_ENOUGH = 0.93;
/** Sampled estimates run about 1 % low: search them against a slightly smaller budget. */
const ESTIMATE_MARGIN = 0.985;

/** Decodes once: oriented, downscaled to maxEdge, flattened on white, sRGB, 8-bit RGB. */
async function decodeToRaw(input: ImageInput, maxEdge: number | undefined): Promise<RawPixels> {
  let pipeline = openImage(input).rotate();
  if (maxEdge !== undefined) {
    pipeline = pipeline.resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true });
  }
  const { data, info } = await pipeline
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) {
    throw new AppError('internal', `Decoding for a JPEG gave ${info.channels} channels instead of 3.`);
  }
  return { data, width: info.width, height: info.height, channels: 3 };
}

async function shrinkRaw(pixels: RawPixels, factor: number): Promise<RawPixels> {
  const width = Math.max(1, Math.round(pixels.width * factor));
  const height = Math.max(1, Math.round(pixels.height * factor));
  const data = await sharp(pixels.data, {
    raw: { width: pixels.width, height: pixels.height, channels: pixels.channels },
  })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return { data, width, height, channels: pixels.channels };
}

interface ScaleOutcome {
  chosen: { quality: number; buffer: Buffer } | undefined;
  /** Size samples (estimated) for predicting the next scale. */
  samples: SizeSample[];
  encodes: number;
  sampleEncodes: number;
}

async function fitAtScale(
  pixels: RawPixels,
  options: FitImageOptions,
  minQ: number,
  maxQ: number,
  prior: readonly SizeSample[],
): Promise<ScaleOutcome> {
  const { maxBytes } = options;
  const sizer = createJpegSizer(pixels, { mozjpeg: options.mozjpeg ?? false });
  let budget = sizer.sampled ? maxBytes * ESTIMATE_MARGIN : maxBytes;
  let ceiling = maxQ;
  let samples: SizeSample[] = [];
  let chosen: ScaleOutcome['chosen'];
  while (ceiling >= minQ) {
    const search = await searchQuality(sizer.estimate, {
      budget,
      minQuality: minQ,
      maxQuality: ceiling,
      goodEnough: GOOD_ENOUGH,
      prior: samples.length > 0 ? [] : prior,
    });
    samples = [...samples, ...search.samples];
    if (search.quality === undefined) break;
    const buffer = await sizer.encode(search.quality);
    if (buffer.length <= maxBytes) {
      chosen = { quality: search.quality, buffer };
      break;
    }
    // The estimate was low for this picture: correct the budget by what the full encode showed.
    const estimated = await sizer.estimate(search.quality);
    budget = budget * (estimated / buffer.length) * 0.99;
    ceiling = search.quality - 1;
  }
  const counts = sizer.counts();
  return { chosen, samples, encodes: counts.full, sampleEncodes: counts.sample };
}

/** Fits an image into `maxBytes` as a JPEG. Throws payload_too_large when nothing fits. */
export function fitImageToBudget(input: ImageInput, options: FitImageOptions): Promise<FitImageResult> {
  return withImageErrors(input, () =>
    withDecodableImage(input, (decodable) => fitDecodable(decodable, options), options.tools),
  );
}

async function fitDecodable(input: ImageInput, options: FitImageOptions): Promise<FitImageResult> {
  const minQ = options.minQuality ?? FIT_MIN_QUALITY;
  const maxQ = options.maxQuality ?? FIT_MAX_QUALITY;
  const { maxBytes } = options;
  if (!(maxBytes > 0) || minQ > maxQ || minQ < 1 || maxQ > 100) {
    throw new AppError(
      'bad_request',
      'Fitting an image needs maxBytes > 0 and 1 ≤ minQuality ≤ maxQuality ≤ 100.',
    );
  }
  let pixels = await decodeToRaw(input, options.maxEdge);
  let prior: SizeSample[] = [];
  let encodes = 0;
  let sampleEncodes = 0;
  let shrinkSteps = 0;
  for (;;) {
    const outcome = await fitAtScale(pixels, options, minQ, maxQ, prior);
    encodes += outcome.encodes;
    sampleEncodes += outcome.sampleEncodes;
    if (outcome.chosen) {
      const result: FitImageResult = {
        buffer: outcome.chosen.buffer,
        width: pixels.width,
        height: pixels.height,
        quality: outcome.chosen.quality,
        encodes,
        sampleEncodes,
        shrinkSteps,
        contentType: 'image/jpeg',
      };
      if (options.measureSsim ?? true) {
        // The source is read again with shrink-on-load: at this analysis size that is several
        // times cheaper than resizing the decoded pixels, and it is the same picture.
        result.ssim = await ssim(input, result.buffer, {
          maxEdge: options.ssimMaxEdge ?? FIT_SSIM_MAX_EDGE,
        });
      }
      return result;
    }
    // Even the floor is too big: shrink by ×0.75 and search again. One step at a time,
    // because how fast the size falls with the area depends on the picture (noise and fine
    // texture average out when downscaled, so sizes often fall faster than the area).
    const factor = SHRINK;
    if (Math.max(pixels.width, pixels.height) * factor < FIT_MIN_EDGE) {
      throw new AppError(
        'payload_too_large',
        `The image cannot be made to fit in ${maxBytes} bytes, even at ${pixels.width}×${pixels.height} and JPEG quality ${minQ}.`,
        { maxBytes, width: pixels.width, height: pixels.height },
      );
    }
    const before = pixels;
    pixels = await shrinkRaw(before, factor);
    shrinkSteps += 1;
    const areaRatio = (pixels.width * pixels.height) / (before.width * before.height);
    prior = outcome.samples.map((s) => ({ quality: s.quality, size: s.size * areaRatio }));
  }
}
