// HEIC/HEIF (iPhone photos) decoding. sharp's prebuilt libheif decodes AV1 (AVIF) only, so
// HEVC images go through libheif's `heif-convert` command-line tool (Debian libheif-examples)
// into a temporary JPEG, which the other transforms then read like any JPEG.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../errors.js';
import type { ImageInput } from './image-input.js';
import { resolveTool, type ToolOverrides } from './media-tools.js';
import { assertPixelBudget, type ImageProbe, probeImage } from './probe-image.js';
import { runTool } from './run-tool.js';
import { disposeTempOutput, makeTempDir } from './temp-output.js';

export const HEIC_TIMEOUT_MS = 30_000;

export interface HeicOptions {
  quality?: number;
  timeoutMs?: number;
  tools?: ToolOverrides;
}

/** Whether HEIC (HEVC) images can be decoded on this server. */
export async function canDecodeHeic(tools?: ToolOverrides): Promise<boolean> {
  return (await resolveTool('heifConvert', tools)) !== null;
}

/**
 * Decodes the primary image of a HEIC file to a temporary JPEG and returns its path; dispose
 * of it with disposeTempOutput. Throws unsupported_media when heif-convert is not installed.
 */
export async function heicToJpeg(path: string, options: HeicOptions = {}): Promise<string> {
  const tool = await resolveTool('heifConvert', options.tools);
  if (!tool) {
    throw new AppError(
      'unsupported_media',
      'HEIC images cannot be converted here: heif-convert is not installed.',
      {
        tool: 'heif-convert',
        reason: 'missing',
      },
    );
  }
  // libheif reads the size from the header without decoding: refuse a pixel bomb first.
  assertPixelBudget(await probeImage(path));
  const dir = await makeTempDir();
  const output = join(dir, 'image.jpg');
  try {
    await runTool(tool, ['-q', String(options.quality ?? 92), path, output], {
      timeoutMs: options.timeoutMs ?? HEIC_TIMEOUT_MS,
      maxOutputBytes: 1024 * 1024,
    });
    // A file with several top-level images is written as image-1.jpg, image-2.jpg…; the
    // first is the primary one.
    const written = (await readdir(dir)).filter((name) => name.endsWith('.jpg')).sort();
    const first = written.includes('image.jpg') ? 'image.jpg' : written[0];
    if (!first) throw new AppError('file_corrupt', 'heif-convert produced no image from the HEIC file.');
    return join(dir, first);
  } catch (error) {
    await disposeTempOutput(output);
    throw error;
  }
}

/** Whether sharp needs heif-convert's help: HEIF with HEVC (HEIC); AVIF (AV1) it decodes itself. */
export const needsHeifConvert = (probe: Pick<ImageProbe, 'format' | 'compression'>): boolean =>
  probe.format === 'heif' && probe.compression !== 'av1';

/**
 * Probes an image, refuses a pixel bomb, and runs `work` on something sharp can decode: the
 * input itself, or for HEIC a temporary JPEG made by heif-convert and removed afterwards.
 * `source` is the probe of the original.
 */
export async function withDecodableImage<T>(
  input: ImageInput,
  work: (decodable: ImageInput, source: ImageProbe) => Promise<T>,
  tools?: ToolOverrides,
): Promise<T> {
  const source = await probeImage(input);
  assertPixelBudget(source);
  if (!needsHeifConvert(source)) return work(input, source);
  if (typeof input !== 'string') {
    throw new AppError('unsupported_media', 'A HEIC image must be given as a file to be converted.');
  }
  const temp = await heicToJpeg(input, { tools, quality: 95 });
  try {
    return await work(temp, source);
  } finally {
    await disposeTempOutput(temp);
  }
}
