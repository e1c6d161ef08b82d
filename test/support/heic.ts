// An iPhone-style HEIC photo made with libheif's encoder, for the tests of photos a browser
// cannot draw. `heifEnc` is null where libheif-examples is not installed.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findOnPath } from '../../src/server/media/transform/media-tools.js';
import { photoLikeJpeg } from '../media/synthetic-images.js';

const exec = promisify(execFile);

export const heifEnc = await findOnPath(['heif-enc']);
export const heifConvert = await findOnPath(['heif-convert']);

export async function makeHeic(width = 800, height = 600): Promise<Buffer> {
  if (!heifEnc) throw new Error('heif-enc is not installed (Debian package libheif-examples)');
  const dir = await mkdtemp(join(tmpdir(), 'heic-'));
  try {
    await writeFile(join(dir, 'in.jpg'), await photoLikeJpeg(width, height, 3));
    await exec(heifEnc, ['-q', '70', '-o', join(dir, 'in.heic'), join(dir, 'in.jpg')]);
    return await readFile(join(dir, 'in.heic'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
