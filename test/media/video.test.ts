import { execFile } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeTempOutput } from '../../src/server/media/transform/temp-output.js';
import {
  transcodeAudioToOpus,
  transcodeVideoToMp4,
} from '../../src/server/media/transform/transcode-media.js';
import { probeMedia, videoPoster } from '../../src/server/media/transform/video.js';
import { toolOnPath, useTempDir } from './helpers.js';

const exec = promisify(execFile);
const tmp = useTempDir();
const ffmpeg = await toolOnPath('ffmpeg');
const ffprobe = await toolOnPath('ffprobe');
const missing = !ffmpeg || !ffprobe;
const skipNote = missing ? ' (skipped: ffmpeg/ffprobe are not installed)' : '';

let clip = '';
let rotated = '';
let audio = '';

beforeAll(async () => {
  if (missing || !ffmpeg) return;
  clip = tmp.path('clip.mp4');
  rotated = tmp.path('rotated.mp4');
  audio = tmp.path('voice.wav');
  // Red for the first second, then blue: the poster frame at 1 s shows blue.
  await exec(ffmpeg, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'color=c=red:s=320x240:r=25:d=1',
    '-f',
    'lavfi',
    '-i',
    'color=c=blue:s=320x240:r=25:d=1.5',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=2.5',
    '-filter_complex',
    '[0:v][1:v]concat=n=2:v=1:a=0[v]',
    '-map',
    '[v]',
    '-map',
    '2:a',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    clip,
  ]);
  await exec(ffmpeg, [
    '-v',
    'error',
    '-y',
    '-i',
    clip,
    '-c',
    'copy',
    '-metadata:s:v:0',
    'rotate=90',
    rotated,
  ]);
  await exec(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=300:duration=1.5', audio]);
});

describe('video and audio', () => {
  it.skipIf(missing)(`probes duration, size, codecs and rotation${skipNote}`, async () => {
    const probe = await probeMedia(clip);
    expect(probe).toMatchObject({
      hasVideo: true,
      hasAudio: true,
      videoCodec: 'h264',
      audioCodec: 'aac',
      width: 320,
      height: 240,
      rotation: 0,
      displayWidth: 320,
      displayHeight: 240,
    });
    expect(probe?.durationSeconds).toBeGreaterThan(2.3);
    expect(probe?.durationSeconds).toBeLessThan(2.7);
    const turned = await probeMedia(rotated);
    expect([90, 270]).toContain(turned?.rotation);
    expect([turned?.displayWidth, turned?.displayHeight]).toEqual([240, 320]);
  });

  it.skipIf(missing)(`makes an upright JPEG poster at about 1 s${skipNote}`, async () => {
    const poster = await videoPoster(clip);
    expect(poster).not.toBeNull();
    const { data, info } = await sharp(poster ?? Buffer.alloc(0))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect((await sharp(poster ?? Buffer.alloc(0)).metadata()).format).toBe('jpeg');
    expect([info.width, info.height]).toEqual([320, 240]);
    const centre = (120 * info.width + 160) * info.channels;
    expect(data[centre + 2]).toBeGreaterThan(180); // blue, the frame after 1 s
    const upright = await sharp((await videoPoster(rotated)) ?? Buffer.alloc(0)).metadata();
    expect([upright.width, upright.height]).toEqual([240, 320]);
  });

  it.skipIf(missing)(`transcodes audio to Ogg Opus${skipNote}`, async () => {
    const ogg = await transcodeAudioToOpus(audio);
    try {
      const probe = await probeMedia(ogg);
      expect([probe?.audioCodec, probe?.hasVideo]).toEqual(['opus', false]);
      expect(probe?.durationSeconds).toBeGreaterThan(1.3);
    } finally {
      await disposeTempOutput(ogg);
    }
    await expect(transcodeAudioToOpus(audio, { maxBytes: 500 })).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });

  it.skipIf(missing)(`transcodes video to an H.264 MP4 within a byte budget${skipNote}`, async () => {
    const mp4 = await transcodeVideoToMp4(clip, { maxBytes: 300 * 1024, maxEdge: 160 });
    try {
      expect((await stat(mp4)).size).toBeLessThanOrEqual(300 * 1024);
      const probe = await probeMedia(mp4);
      expect(probe).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', width: 160, height: 120 });
    } finally {
      await disposeTempOutput(mp4);
    }
    await expect(transcodeVideoToMp4(clip, { maxBytes: 5000 })).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });

  it.skipIf(missing)(`refuses a playlist disguised as a video${skipNote}`, async () => {
    const playlist = tmp.path('evil.mp4');
    await writeFile(
      playlist,
      '#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n',
    );
    await expect(probeMedia(playlist)).rejects.toMatchObject({ code: 'file_corrupt' });
    await expect(videoPoster(playlist)).rejects.toMatchObject({ code: 'file_corrupt' });
  });

  it('degrades when the tools are absent', async () => {
    const tools = { ffmpeg: null, ffprobe: null };
    expect(await probeMedia('/any.mp4', { tools })).toBeNull();
    expect(await videoPoster('/any.mp4', { tools })).toBeNull();
    await expect(transcodeAudioToOpus('/any.amr', { tools })).rejects.toMatchObject({
      code: 'unsupported_media',
    });
    await expect(transcodeVideoToMp4('/any.mov', { tools, maxBytes: 1e6 })).rejects.toMatchObject({
      code: 'unsupported_media',
    });
  });
});
