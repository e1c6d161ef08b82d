// Real audio and video made with the machine's ffmpeg at test time (null when it is missing),
// for media the derivative jobs must be able to read.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

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
