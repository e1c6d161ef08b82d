// Real media made by the machine's tools at test time (null when the tool is missing).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function makeVideo(seconds = 2, size = '320x240'): Promise<Buffer | null> {
  const dir = await mkdtemp(join(tmpdir(), 'video-'));
  const out = join(dir, 'clip.mp4');
  try {
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc=s=${size}:r=25:d=${seconds}`,
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      out,
    ]);
    return await readFile(out);
  } catch {
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
