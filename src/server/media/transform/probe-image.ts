// Reads what a job needs to know about an image from its header alone: no pixels are decoded,
// so a pixel bomb is recognised before it can cost memory.
import exifReader from 'exif-reader';
import type { Metadata } from 'sharp';
import { AppError } from '../../errors.js';
import { type ImageInput, MAX_INPUT_PIXELS, openHeader, withImageErrors } from './image-input.js';

export interface ImageProbe {
  /** sharp's name for the container: jpeg, png, webp, gif, heif (HEIC and AVIF), tiff, svg… */
  format: string;
  /** Display size: after the EXIF orientation is applied. */
  width: number;
  height: number;
  /** Size of the stored pixels (one frame), before orientation. */
  storedWidth: number;
  storedHeight: number;
  /** EXIF orientation 1–8 (1 when absent). */
  orientation: number;
  hasAlpha: boolean;
  isAnimated: boolean;
  /** Frames (animated GIF/WebP) or pages (TIFF, PDF); 1 for a still image. */
  pages: number;
  hasExif: boolean;
  hasGps: boolean;
  /** The EXIF names the camera (Make or Model). */
  hasCameraExif: boolean;
  hasIcc: boolean;
  hasXmp: boolean;
  density: number | undefined;
  /** Colour space as libvips interprets it: srgb, cmyk, b-w, rgb16… */
  space: string | undefined;
  /** HEIF compression (hevc or av1) when the format is heif. */
  compression: string | undefined;
}

interface ExifFacts {
  hasGps: boolean;
  hasCamera: boolean;
}

function readExif(exif: Buffer | undefined): ExifFacts {
  if (!exif || exif.length === 0) return { hasGps: false, hasCamera: false };
  try {
    const tags = exifReader(exif);
    const gps = tags.GPSInfo ?? {};
    const hasGps = Object.keys(gps).length > 0 || tags.Image?.GPSTag !== undefined;
    const hasCamera = Boolean(tags.Image?.Make ?? tags.Image?.Model);
    return { hasGps, hasCamera };
  } catch {
    // An EXIF block we cannot parse may still hold anything: assume the worst.
    return { hasGps: true, hasCamera: true };
  }
}

export function imageProbeFromMetadata(meta: Metadata): ImageProbe {
  const storedWidth = meta.width ?? 0;
  const storedHeight = meta.pageHeight ?? meta.height ?? 0;
  const orientation = meta.orientation ?? 1;
  const swap = orientation >= 5 && orientation <= 8;
  const pages = meta.pages ?? 1;
  const exif = readExif(meta.exif);
  return {
    format: meta.format ?? 'unknown',
    width: swap ? storedHeight : storedWidth,
    height: swap ? storedWidth : storedHeight,
    storedWidth,
    storedHeight,
    orientation,
    hasAlpha: meta.hasAlpha ?? false,
    isAnimated: pages > 1 && (meta.format === 'gif' || meta.format === 'webp'),
    pages,
    hasExif: (meta.exif?.length ?? 0) > 0,
    hasGps: exif.hasGps,
    hasCameraExif: exif.hasCamera,
    hasIcc: (meta.icc?.length ?? 0) > 0,
    hasXmp: (meta.xmp?.length ?? 0) > 0,
    density: meta.density,
    space: meta.space,
    compression: meta.compression,
  };
}

/** Probes an image from its header. Throws unsupported_media or file_corrupt when it is not one. */
export function probeImage(input: ImageInput): Promise<ImageProbe> {
  return withImageErrors(input, async () => imageProbeFromMetadata(await openHeader(input).metadata()));
}

/** Throws image_too_large, naming the pixel count, when one frame has more than maxPixels. */
export function assertPixelBudget(
  meta: Pick<ImageProbe, 'width' | 'height'>,
  maxPixels: number = MAX_INPUT_PIXELS,
): void {
  const pixels = meta.width * meta.height;
  if (pixels > maxPixels) {
    const mp = (n: number): string => `${(n / 1e6).toFixed(1)} MP`;
    throw new AppError(
      'image_too_large',
      `The image is ${meta.width}×${meta.height} (${pixels} pixels, ${mp(pixels)}); the limit is ${mp(maxPixels)}.`,
      { width: meta.width, height: meta.height, pixels, maxPixels },
    );
  }
}
