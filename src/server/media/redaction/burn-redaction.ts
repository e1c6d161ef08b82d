// Burns redaction into the pixels: solid rectangles (never a blur, which can be reversed)
// over the given boxes of the auto-oriented image, re-encoded with every piece of metadata
// (EXIF, GPS, XMP, IPTC, ICC, comments) left behind.
import sharp from 'sharp';
import { AppError } from '../../errors.js';
import { maxInputPixels } from './ocr-preprocess.js';
import type { Box } from './types.js';

export interface BurnOptions {
  /** Opaque fill colour as #rgb or #rrggbb (default black). */
  fill?: string;
  /** Boxes reaching outside the image are clipped to it instead of refused (default false). */
  clip?: boolean;
  /** Most boxes accepted in one call (default 200). */
  maxBoxes?: number;
}

export interface BurnResult {
  buffer: Buffer;
  contentType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

const invalid = (message: string, field = 'boxes'): AppError =>
  new AppError('validation_failed', message, { field });

/** Whole-pixel box covering at least the given one, checked against the image (or clipped to it). */
function checkedBox(box: Box, index: number, width: number, height: number, clip: boolean): Box {
  const values = [box.x, box.y, box.width, box.height];
  if (!values.every((value) => typeof value === 'number' && Number.isFinite(value))) {
    throw invalid(`Box ${index} must have finite numbers for x, y, width and height.`);
  }
  if (box.width <= 0 || box.height <= 0) throw invalid(`Box ${index} must have a positive width and height.`);
  let left = Math.floor(box.x);
  let top = Math.floor(box.y);
  let right = Math.ceil(box.x + box.width);
  let bottom = Math.ceil(box.y + box.height);
  const outside = left < 0 || top < 0 || right > width || bottom > height;
  if (outside && !clip) {
    throw invalid(
      `Box ${index} (${box.x}, ${box.y}, ${box.width}×${box.height}) is not inside the ${width}×${height} image.`,
    );
  }
  left = Math.max(0, left);
  top = Math.max(0, top);
  right = Math.min(width, right);
  bottom = Math.min(height, bottom);
  if (right <= left || bottom <= top)
    throw invalid(`Box ${index} lies entirely outside the ${width}×${height} image.`);
  return { x: left, y: top, width: right - left, height: bottom - top };
}

function checkedFill(fill: string): string {
  if (!/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(fill)) {
    throw invalid(`The fill colour must be #rgb or #rrggbb, not ${JSON.stringify(fill)}.`, 'fill');
  }
  return fill;
}

export async function burnRedaction(
  input: string | Buffer,
  boxes: readonly Box[],
  options: BurnOptions = {},
): Promise<BurnResult> {
  const { fill = '#000000', clip = false, maxBoxes = 200 } = options;
  const colour = checkedFill(fill);
  if (boxes.length > maxBoxes)
    throw invalid(`At most ${maxBoxes} boxes can be redacted at once (got ${boxes.length}).`);

  const image = sharp(input, { limitInputPixels: maxInputPixels, autoOrient: true });
  const meta = await image.metadata().catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('file_corrupt', `The image could not be read: ${reason}`);
  });
  const width = meta.autoOrient.width;
  const height = meta.autoOrient.height;
  const rectangles = boxes.map((box, index) => checkedBox(box, index, width, height, clip));

  const composed = image.composite(
    rectangles.map((box) => ({
      input: { create: { width: box.width, height: box.height, channels: 4, background: colour } },
      left: box.x,
      top: box.y,
    })),
  );
  // sharp writes no metadata unless asked to (no withMetadata/keepMetadata here).
  if (meta.format === 'png') {
    const buffer = await composed.png().toBuffer();
    return { buffer, contentType: 'image/png', width, height };
  }
  const buffer = await composed.flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
  return { buffer, contentType: 'image/jpeg', width, height };
}
