// Checks a staged file before anyone sees it: what the bytes are, whether the name lies
// about them, whether it is an executable, whether an image is complete and within the
// pixel budget. Reading a header is cheap; decoding is left to jobs.
import { open } from 'node:fs/promises';
import sharp from 'sharp';
import { AppError } from '../errors.js';
import type { StagedBlob } from '../infra/blobs/blob-store.js';
import { sanitizeFilename, withExtension, extensionOf } from './sanitize-filename.js';
import { contradictsName, isExecutable, sniff } from './sniff.js';

/** Images above this many pixels are refused before decoding (decompression bombs). */
export const MAX_IMAGE_PIXELS = 100_000_000;

sharp.cache(false);

export interface Inspection {
  name: string;
  contentType: string;
  declaredType: string | null;
  width: number | null;
  height: number | null;
  /** Set when the file must not be used; uploads refuse it, provider media keep it as failed. */
  problem: AppError | null;
}

const EXTENSION_ALIASES: Record<string, string> = { jpeg: 'jpg', jfif: 'jpg', tiff: 'tif', heif: 'heic' };
const canonicalExtension = (extension: string): string => EXTENSION_ALIASES[extension] ?? extension;

const RASTER = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/tiff',
  'image/bmp',
]);

export async function inspectStaged(
  staged: StagedBlob,
  input: { name?: string | null | undefined; declaredType?: string | null | undefined },
): Promise<Inspection> {
  const declaredType = input.declaredType?.split(';')[0]?.trim().toLowerCase() || null;
  const rawName = sanitizeFilename(input.name);
  const sniffed = await sniff(staged.head, rawName, declaredType);
  let name = sanitizeFilename(input.name, sniffed.extension ?? undefined);
  if (
    sniffed.fromBytes &&
    sniffed.mime.startsWith('image/') &&
    sniffed.extension &&
    contradictsName(sniffed, name) === null
  ) {
    const current = extensionOf(name);
    if (current && canonicalExtension(current) !== canonicalExtension(sniffed.extension)) {
      name = withExtension(name, sniffed.extension);
    }
  }
  const result: Inspection = {
    name,
    contentType: sniffed.mime,
    declaredType,
    width: null,
    height: null,
    problem: null,
  };
  if (staged.size === 0) {
    result.problem = new AppError('empty_upload', `"${name}" is empty (0 bytes).`);
    return result;
  }
  if (isExecutable(sniffed, rawName)) {
    result.problem = new AppError(
      'file_type_blocked',
      `"${rawName}" is a program (${sniffed.mime}); programs cannot be sent through the helpdesk. Send it as a zip or a link instead.`,
    );
    return result;
  }
  const expected = contradictsName(sniffed, rawName);
  if (expected) {
    result.problem = new AppError(
      'file_type_mismatch',
      `"${rawName}" is named like ${expected === 'application/pdf' ? 'a PDF' : `an ${expected.slice(0, -1)} file`}, but its contents are ${sniffed.fromBytes ? sniffed.mime : 'not in that format'}.`,
      { detected: sniffed.mime },
    );
    return result;
  }
  if (RASTER.has(sniffed.mime)) {
    try {
      const meta = await sharp(staged.localPath, { limitInputPixels: false }).metadata();
      const width = meta.autoOrient?.width ?? meta.width;
      const height = meta.autoOrient?.height ?? meta.height;
      result.width = width ?? null;
      result.height = height ?? null;
      if (width && height && width * height > MAX_IMAGE_PIXELS) {
        result.problem = new AppError(
          'image_too_large',
          `"${name}" is ${width}×${height} pixels (${Math.round((width * height) / 1e6)} megapixels); images up to ${MAX_IMAGE_PIXELS / 1e6} megapixels are accepted.`,
          { width, height },
        );
        return result;
      }
    } catch (error) {
      result.problem = new AppError(
        'file_corrupt',
        `"${name}" could not be read as ${sniffed.mime}: ${(error as Error).message}.`,
      );
      return result;
    }
    const incomplete = await looksTruncated(staged, sniffed.mime);
    if (incomplete) {
      result.problem = new AppError(
        'file_corrupt',
        `"${name}" is incomplete: the ${sniffed.mime.slice(6).toUpperCase()} data stops before its end marker. It was probably cut off while copying; send the original again.`,
      );
    }
  }
  return result;
}

/** Looks for the format's end marker near the end of the file (trailing data after it is allowed). */
async function looksTruncated(staged: StagedBlob, mime: string): Promise<boolean> {
  const marker =
    mime === 'image/jpeg'
      ? Buffer.from([0xff, 0xd9])
      : mime === 'image/png'
        ? Buffer.from('IEND')
        : mime === 'image/gif'
          ? Buffer.from([0x3b])
          : null;
  if (!marker) return false;
  if (staged.tail.includes(marker)) return false;
  const window = Math.min(staged.size, 256 * 1024);
  const handle = await open(staged.localPath, 'r');
  try {
    const buffer = Buffer.alloc(window);
    await handle.read(buffer, 0, window, staged.size - window);
    return !buffer.includes(marker);
  } finally {
    await handle.close();
  }
}
