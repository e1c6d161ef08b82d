// Converts images to the formats channels accept (HEIC, WebP, AVIF → JPEG or PNG), always
// auto-oriented and without metadata, and strips metadata from an image while keeping its format.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { AppError } from '../../errors.js';
import { withDecodableImage } from './heic.js';
import { type ImageInput, MAX_INPUT_PIXELS, openImage, withImageErrors } from './image-input.js';
import { stripJpegMetadata } from './jpeg-metadata.js';
import type { ToolOverrides } from './media-tools.js';
import { assertPixelBudget, probeImage } from './probe-image.js';

export interface ConvertedImage {
  buffer: Buffer;
  width: number;
  height: number;
  contentType: 'image/jpeg' | 'image/png';
}

export interface ToJpegOptions {
  quality?: number;
  /** Long edge of the result; never enlarged. */
  maxEdge?: number;
  /** Explicit tool paths, for HEIC input. */
  tools?: ToolOverrides;
}

const fitInside = (maxEdge: number | undefined): sharp.ResizeOptions | undefined =>
  maxEdge === undefined
    ? undefined
    : { width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true };

/** Any image (HEIC included) as an auto-oriented sRGB JPEG without metadata, alpha on white. */
export function toJpeg(path: string, options: ToJpegOptions = {}): Promise<ConvertedImage> {
  return withDecodableImage(
    path,
    (decodable) =>
      withImageErrors(decodable, async () => {
        const { data, info } = await openImage(decodable)
          .rotate()
          .resize(fitInside(options.maxEdge))
          .flatten({ background: '#ffffff' })
          .toColourspace('srgb')
          .jpeg({ quality: options.quality ?? 88, chromaSubsampling: '4:2:0' })
          .toBuffer({ resolveWithObject: true });
        return { buffer: data, width: info.width, height: info.height, contentType: 'image/jpeg' };
      }),
    options.tools,
  );
}

/** Any image (HEIC included) as an auto-oriented sRGB PNG without metadata; alpha is kept. */
export function toPng(
  path: string,
  options: { maxEdge?: number; tools?: ToolOverrides } = {},
): Promise<ConvertedImage> {
  return withDecodableImage(
    path,
    (decodable) =>
      withImageErrors(decodable, async () => {
        const { data, info } = await openImage(decodable)
          .rotate()
          .resize(fitInside(options.maxEdge))
          .toColourspace('srgb')
          .png()
          .toBuffer({ resolveWithObject: true });
        return { buffer: data, width: info.width, height: info.height, contentType: 'image/png' };
      }),
    options.tools,
  );
}

/**
 * The image without EXIF, GPS, XMP, IPTC or comments, in its own format. An upright JPEG is
 * stripped losslessly (its compressed data is copied); a JPEG with an EXIF rotation is
 * re-encoded upright at quality 92; PNG, WebP, GIF (animations kept), AVIF and TIFF are
 * re-encoded by sharp, which writes no metadata. HEIC cannot be re-encoded here: use toJpeg.
 */
export function stripMetadata(input: ImageInput): Promise<Buffer> {
  return withImageErrors(input, async () => {
    const probe = await probeImage(input);
    assertPixelBudget(probe);
    if (probe.format === 'jpeg') {
      if (probe.orientation === 1) {
        return stripJpegMetadata(typeof input === 'string' ? await readFile(input) : input);
      }
      return openImage(input).rotate().jpeg({ quality: 92 }).toBuffer();
    }
    const animated = probe.isAnimated;
    const image = sharp(input, {
      failOn: 'warning',
      limitInputPixels: MAX_INPUT_PIXELS, // all frames together, since all are kept
      pages: animated ? -1 : 1,
    }).rotate();
    switch (probe.format) {
      case 'png':
        return image.png().toBuffer();
      case 'webp':
        return image.webp({ quality: 90 }).toBuffer();
      case 'gif':
        return image.gif().toBuffer();
      case 'tiff':
        return image.tiff().toBuffer();
      case 'heif':
        if (probe.compression === 'av1') return image.avif({ quality: 70 }).toBuffer();
        break;
      default:
        break;
    }
    throw new AppError(
      'unsupported_media',
      `Metadata cannot be stripped from ${probe.format} images in place.`,
      {
        format: probe.format,
      },
    );
  });
}
