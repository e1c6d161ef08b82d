// How every transform opens an image with sharp: one place for the decoding limits, the
// strictness and the mapping of libvips errors to stable AppError codes.
import sharp from 'sharp';
import { AppError, isAppError } from '../../errors.js';

// libvips' operation cache only helps when the same file is processed twice; in a long-running
// worker it holds memory for nothing.
sharp.cache(false);

/** Largest image, in pixels (width × height of one frame), that any transform decodes. */
export const MAX_INPUT_PIXELS = 100_000_000;

/** An image to read: a file path, or encoded bytes already in memory. */
export type ImageInput = string | Buffer;

/**
 * Opens an image for decoding: first frame only, pixel limit enforced by libvips, and strict
 * decoding (a truncated or damaged file fails instead of producing grey blocks).
 */
export const openImage = (input: ImageInput, options: { strict?: boolean } = {}): sharp.Sharp =>
  sharp(input, {
    failOn: options.strict === false ? 'none' : 'warning',
    limitInputPixels: MAX_INPUT_PIXELS,
    pages: 1,
  });

/** Opens an image to read its header only; never decodes pixels, so no pixel limit applies. */
export const openHeader = (input: ImageInput): sharp.Sharp =>
  sharp(input, { failOn: 'none', limitInputPixels: false, pages: 1 });

const describe = (input: ImageInput): string => (typeof input === 'string' ? 'The image file' : 'The image');

/** Translates an error thrown by sharp into an AppError with a stable code. */
export function toImageError(error: unknown, input: ImageInput): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/exceeds pixel limit/i.test(message)) {
    return new AppError('image_too_large', `${describe(input)} has more than ${MAX_INPUT_PIXELS} pixels.`, {
      maxPixels: MAX_INPUT_PIXELS,
    });
  }
  if (/input file is missing/i.test(message)) {
    return new AppError('not_found', `${describe(input)} was not found.`);
  }
  if (/unsupported image format|compression format has not been built in|no loader/i.test(message)) {
    return new AppError(
      'unsupported_media',
      `${describe(input)} is in a format that cannot be decoded here.`,
      {
        cause: message.slice(0, 300),
      },
    );
  }
  return new AppError('file_corrupt', `${describe(input)} could not be decoded: ${message.slice(0, 300)}`);
}

/** Runs a sharp operation and maps whatever it throws. */
export async function withImageErrors<T>(input: ImageInput, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toImageError(error, input);
  }
}
