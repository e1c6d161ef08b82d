// Transcodes through Debian's ffmpeg: Ogg Opus for playback of voice notes browsers cannot
// play, and H.264/AAC MP4 sized for a channel's limit. Outputs are temporary files.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../errors.js';
import { SAFE_INPUT } from './ffmpeg-input.js';
import { resolveTool, type ToolOverrides } from './media-tools.js';
import { runTool } from './run-tool.js';
import { disposeTempOutput, makeTempDir } from './temp-output.js';
import { probeMedia, type ToolCallOptions } from './video.js';

async function requireFfmpeg(tools: ToolOverrides | undefined): Promise<string> {
  const ffmpeg = await resolveTool('ffmpeg', tools);
  if (!ffmpeg) {
    throw new AppError(
      'unsupported_media',
      'Audio and video cannot be transcoded here: ffmpeg is not installed.',
      {
        tool: 'ffmpeg',
        reason: 'missing',
      },
    );
  }
  return ffmpeg;
}

async function transcode(
  ffmpeg: string,
  path: string,
  outputName: string,
  outputArgs: readonly string[],
  timeoutMs: number,
): Promise<string> {
  const dir = await makeTempDir();
  const output = join(dir, outputName);
  try {
    await runTool(ffmpeg, ['-v', 'error', '-nostdin', ...SAFE_INPUT, '-i', path, ...outputArgs, output], {
      timeoutMs,
      maxOutputBytes: 1024 * 1024,
    });
    return output;
  } catch (error) {
    await disposeTempOutput(output);
    throw error;
  }
}

/**
 * The first audio stream as Ogg Opus (for voice notes in AMR, AAC… that browsers cannot play),
 * metadata dropped. Returns the path of a temporary file (dispose with disposeTempOutput);
 * throws payload_too_large past maxBytes (default 64 MiB), unsupported_media without ffmpeg.
 */
export async function transcodeAudioToOpus(
  path: string,
  options: ToolCallOptions & { bitrateKbps?: number; maxBytes?: number } = {},
): Promise<string> {
  const ffmpeg = await requireFfmpeg(options.tools);
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const output = await transcode(
    ffmpeg,
    path,
    'audio.ogg',
    [
      '-map',
      '0:a:0',
      '-vn',
      '-map_metadata',
      '-1',
      '-c:a',
      'libopus',
      '-b:a',
      `${options.bitrateKbps ?? 48}k`,
      '-fs',
      String(maxBytes),
      '-f',
      'ogg',
    ],
    options.timeoutMs ?? 120_000,
  );
  // ffmpeg stops writing at -fs: a file that reached the cap is cut short.
  const { size } = await stat(output);
  if (size >= maxBytes) {
    await disposeTempOutput(output);
    throw new AppError('payload_too_large', `The audio transcoded to Opus exceeds ${maxBytes} bytes.`, {
      maxBytes,
    });
  }
  return output;
}

export interface Mp4Options extends ToolCallOptions {
  /** Hard cap on the result; the bitrate is chosen from the duration to stay under it. */
  maxBytes: number;
  /** Long edge of the video; never enlarged. Default 1280. */
  maxEdge?: number;
  audioKbps?: number;
}

/**
 * H.264/AAC MP4 (fast start) sized for a channel's limit: the video bitrate is derived from the
 * duration and maxBytes. Returns a temporary path; throws payload_too_large when the result
 * still exceeds maxBytes (very long clips), unsupported_media without ffmpeg.
 */
export async function transcodeVideoToMp4(path: string, options: Mp4Options): Promise<string> {
  const ffmpeg = await requireFfmpeg(options.tools);
  const probe = await probeMedia(path, options);
  if (!probe?.hasVideo) throw new AppError('unsupported_media', 'The file has no video stream to transcode.');
  const duration = Math.max(1, probe.durationSeconds ?? 1);
  const audioKbps = probe.hasAudio ? (options.audioKbps ?? 96) : 0;
  // 92 % of the budget for the streams, the rest for the container and the rate control's slack.
  const totalKbps = (options.maxBytes * 8 * 0.92) / duration / 1000;
  const videoKbps = Math.floor(totalKbps - audioKbps);
  if (videoKbps < 100) {
    throw new AppError(
      'payload_too_large',
      `A ${Math.round(duration)} s video cannot fit in ${options.maxBytes} bytes at a watchable quality.`,
      { maxBytes: options.maxBytes, durationSeconds: duration },
    );
  }
  const maxEdge = options.maxEdge ?? 1280;
  const scale = `scale=w='min(iw,${maxEdge})':h='min(ih,${maxEdge})':force_original_aspect_ratio=decrease:force_divisible_by=2`;
  const audioArgs = probe.hasAudio
    ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', `${audioKbps}k`, '-ac', '2']
    : ['-an'];
  const output = await transcode(
    ffmpeg,
    path,
    'video.mp4',
    [
      '-map',
      '0:v:0',
      ...audioArgs,
      '-sn',
      '-dn',
      '-map_metadata',
      '-1',
      '-vf',
      scale,
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-profile:v',
      'main',
      '-pix_fmt',
      'yuv420p',
      '-b:v',
      `${videoKbps}k`,
      '-maxrate',
      `${videoKbps}k`,
      '-bufsize',
      `${videoKbps * 2}k`,
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
    ],
    options.timeoutMs ?? 600_000,
  );
  const { size } = await stat(output);
  if (size > options.maxBytes) {
    await disposeTempOutput(output);
    throw new AppError(
      'payload_too_large',
      `The transcoded video (${size} bytes) exceeds ${options.maxBytes} bytes.`,
      {
        maxBytes: options.maxBytes,
        size,
      },
    );
  }
  return output;
}
