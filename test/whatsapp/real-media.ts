// Real audio and video made with the machine's ffmpeg at test time (null when it is missing),
// for media the derivative jobs must be able to read; and photos too heavy for a channel.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

export { makeVideo } from '../support/media-files.js';

const run = promisify(execFile);

async function ffmpeg(name: string, args: string[]): Promise<Buffer | null> {
  const dir = await mkdtemp(join(tmpdir(), 'audio-'));
  const out = join(dir, name);
  try {
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=1',
      ...args,
      out,
    ]);
    return await readFile(out);
  } catch {
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A one-second OGG/Opus recording, as WhatsApp voice notes are. */
export const makeVoiceNote = (): Promise<Buffer | null> =>
  ffmpeg('note.ogg', ['-c:a', 'libopus', '-b:a', '24k']);

/** A one-second AAC recording in an M4A container. */
export const makeM4a = (): Promise<Buffer | null> => ffmpeg('note.m4a', ['-c:a', 'aac', '-b:a', '64k']);

/** A photo of noise, which JPEG cannot compress: well over 5 MB at high quality. */
export async function heavyPhoto(width = 3000, height = 2200): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .withExif({
      IFD0: { Make: 'TestCam' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 21/1 0/1',
      },
    })
    .toBuffer();
}
