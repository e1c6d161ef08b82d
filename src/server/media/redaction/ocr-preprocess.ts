// Prepares a screenshot for text recognition. Screenshots mix themes: dark text on light
// pages, light text on dark pages, white text in coloured chat bubbles. The recogniser wants
// dark text on a light background everywhere, so each pixel is compared with the background
// around it (a median of a coarse grid, which text strokes are too thin to move) and the
// difference becomes ink: text of either polarity turns dark on white. Small images are then
// upscaled so that small text has enough pixels.
import sharp from 'sharp';

export interface PreprocessOptions {
  /** Turn text of either polarity into dark on white against its local background (default true). */
  normalise?: boolean;
  /** Images narrower than this are upscaled by `upscaleFactor` (default 700: phone screenshots at 1×). */
  upscaleBelowWidth?: number;
  /** Default 2. */
  upscaleFactor?: number;
}

export interface PreparedImage {
  /** Encoded image handed to the recogniser. */
  image: Buffer;
  /** Size of the auto-oriented original, the coordinate space of every box. */
  width: number;
  height: number;
  /** Recognised image size ÷ original size. */
  scale: number;
}

export const maxInputPixels = 100_000_000;

/** Grid step (px) and median window (grid cells) of the background estimate. */
const backgroundStep = 4;
const backgroundWindow = 7;
/** How strongly a difference from the background darkens a pixel. */
const inkGain = 1.6;

async function localBackground(grey: Buffer, width: number, height: number): Promise<Buffer> {
  const raw = { width, height, channels: 1 as const };
  const small = await sharp(grey, { raw })
    .resize(Math.max(1, Math.ceil(width / backgroundStep)), Math.max(1, Math.ceil(height / backgroundStep)), {
      kernel: 'nearest',
    })
    .median(backgroundWindow)
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(small.data, { raw: { width: small.info.width, height: small.info.height, channels: 1 } })
    .resize(width, height, { kernel: 'linear', fit: 'fill' })
    .extractChannel(0)
    .raw()
    .toBuffer();
}

/** 255 where a pixel matches its background, darker the more it differs, whatever the direction. */
function inkOnWhite(grey: Buffer, background: Buffer): Buffer {
  const out = Buffer.allocUnsafe(grey.length);
  for (let i = 0; i < grey.length; i += 1) {
    const difference = Math.abs((grey[i] ?? 0) - (background[i] ?? 0));
    out[i] = Math.max(0, 255 - Math.round(difference * inkGain));
  }
  return out;
}

export async function prepareForOcr(
  input: Buffer | string,
  options: PreprocessOptions = {},
): Promise<PreparedImage> {
  const { normalise = true, upscaleBelowWidth = 700, upscaleFactor = 2 } = options;
  const decoded = await sharp(input, { limitInputPixels: maxInputPixels, autoOrient: true })
    .flatten({ background: '#ffffff' })
    .greyscale()
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = decoded.info;
  const pixels = normalise
    ? inkOnWhite(decoded.data, await localBackground(decoded.data, width, height))
    : decoded.data;
  const scale = width < upscaleBelowWidth ? upscaleFactor : 1;
  let pipeline = sharp(pixels, { raw: { width, height, channels: 1 } });
  if (scale !== 1) {
    pipeline = pipeline.resize(Math.round(width * scale), Math.round(height * scale), { kernel: 'cubic' });
  }
  const image = await pipeline.png({ compressionLevel: 1 }).toBuffer();
  return { image, width, height, scale };
}
