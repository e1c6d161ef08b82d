// Display derivatives of an image: a small WebP thumbnail and a display-size WebP preview,
// auto-oriented, first frame of an animation, decoded with shrink-on-load. Derivatives for
// the same attachment come from one decode.
import sharp from 'sharp';
import { type ImageInput, openImage, withImageErrors } from './image-input.js';
import { withDecodableImage } from './heic.js';
import type { ToolOverrides } from './media-tools.js';
import type { ImageProbe } from './probe-image.js';

export const THUMBNAIL_LONG_EDGE = 480;
export const PREVIEW_LONG_EDGE = 1600;
export const THUMBNAIL_QUALITY = 75;
export const PREVIEW_QUALITY = 80;

export interface WebpImage {
  buffer: Buffer;
  width: number;
  height: number;
  contentType: 'image/webp';
}

export interface ThumbnailResult extends WebpImage {
  /** Display size of the source (after orientation). */
  sourceWidth: number;
  sourceHeight: number;
}

export interface ImageDerivatives {
  thumbnail: WebpImage;
  preview: WebpImage;
  source: ImageProbe;
}

export interface ThumbnailOptions {
  longEdge?: number;
  quality?: number;
  /** Explicit tool paths (heif-convert for HEIC input). */
  tools?: ToolOverrides;
}

export interface DerivativeOptions {
  tools?: ToolOverrides;
  thumbnailLongEdge?: number;
  previewLongEdge?: number;
  thumbnailQuality?: number;
  previewQuality?: number;
}

const fitInside = (longEdge: number): sharp.ResizeOptions => ({
  width: longEdge,
  height: longEdge,
  fit: 'inside',
  withoutEnlargement: true,
});

async function toWebp(pipeline: sharp.Sharp, quality: number): Promise<WebpImage> {
  const { data, info } = await pipeline.webp({ quality, effort: 2 }).toBuffer({ resolveWithObject: true });
  return { buffer: data, width: info.width, height: info.height, contentType: 'image/webp' };
}

/** A WebP thumbnail (long edge 480 by default, never enlarged) of one image file. */
export function makeThumbnail(input: ImageInput, options: ThumbnailOptions = {}): Promise<ThumbnailResult> {
  return withImageErrors(input, () =>
    withDecodableImage(
      input,
      async (decodable, source) => {
        const pipeline = openImage(decodable)
          .rotate()
          .resize(fitInside(options.longEdge ?? THUMBNAIL_LONG_EDGE));
        const webp = await toWebp(pipeline, options.quality ?? THUMBNAIL_QUALITY);
        return { ...webp, sourceWidth: source.width, sourceHeight: source.height };
      },
      options.tools,
    ),
  );
}

/** A display-size WebP preview (long edge 1600 by default, never enlarged). */
export function makeDisplayPreview(
  input: ImageInput,
  options: ThumbnailOptions = {},
): Promise<ThumbnailResult> {
  return makeThumbnail(input, {
    ...options,
    longEdge: options.longEdge ?? PREVIEW_LONG_EDGE,
    quality: options.quality ?? PREVIEW_QUALITY,
  });
}

/**
 * Thumbnail and preview from one decode: the source is decoded once (shrink-on-load to the
 * preview size), and both WebPs are encoded from those pixels.
 */
export function makeImageDerivatives(
  input: ImageInput,
  options: DerivativeOptions = {},
): Promise<ImageDerivatives> {
  return withImageErrors(input, () =>
    withDecodableImage(
      input,
      async (decodable, source) => {
        const { data, info } = await openImage(decodable)
          .rotate()
          .resize(fitInside(options.previewLongEdge ?? PREVIEW_LONG_EDGE))
          .toColourspace('srgb')
          .raw()
          .toBuffer({ resolveWithObject: true });
        const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
        const [preview, thumbnail] = await Promise.all([
          toWebp(sharp(data, raw), options.previewQuality ?? PREVIEW_QUALITY),
          toWebp(
            sharp(data, raw).resize(fitInside(options.thumbnailLongEdge ?? THUMBNAIL_LONG_EDGE)),
            options.thumbnailQuality ?? THUMBNAIL_QUALITY,
          ),
        ]);
        return { thumbnail, preview, source };
      },
      options.tools,
    ),
  );
}
