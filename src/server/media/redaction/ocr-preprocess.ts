// Prepares a screenshot for text recognition: auto-orient, flatten transparency onto white,
// greyscale, invert dark themes (light text on dark) so text is dark on light, and upscale
// small images so that small text has enough pixels.
import sharp from 'sharp';

export interface PreprocessOptions {
  /** Images narrower than this are upscaled by `upscaleFactor` (default 1000). */
  upscaleBelowWidth?: number;
  /** Default 2. */
  upscaleFactor?: number;
  /** Mean luminance (0–255) under which the image is inverted (default 110). */
  darkThreshold?: number;
}

export interface PreparedImage {
  /** Encoded image handed to the recogniser. */
  image: Buffer;
  /** Size of the auto-oriented original, the coordinate space of every box. */
  width: number;
  height: number;
  /** Recognised image size ÷ original size. */
  scale: number;
  inverted: boolean;
}

export const maxInputPixels = 100_000_000;

export async function prepareForOcr(
  input: Buffer | string,
  options: PreprocessOptions = {},
): Promise<PreparedImage> {
  const { upscaleBelowWidth = 1000, upscaleFactor = 2, darkThreshold = 110 } = options;
  const grey = await sharp(input, { limitInputPixels: maxInputPixels, autoOrient: true })
    .flatten({ background: '#ffffff' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = grey.info;
  let sum = 0;
  for (let i = 0; i < grey.data.length; i += 7) sum += grey.data[i] ?? 0;
  const inverted = sum / Math.ceil(grey.data.length / 7) < darkThreshold;
  const scale = width < upscaleBelowWidth ? upscaleFactor : 1;
  let pipeline = sharp(grey.data, { raw: { width, height, channels: grey.info.channels } });
  if (inverted) pipeline = pipeline.negate();
  if (scale !== 1)
    pipeline = pipeline.resize(Math.round(width * scale), Math.round(height * scale), { kernel: 'cubic' });
  const image = await pipeline.png({ compressionLevel: 1 }).toBuffer();
  return { image, width, height, scale, inverted };
}
