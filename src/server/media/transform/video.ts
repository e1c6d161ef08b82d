// Video and audio through Debian's ffmpeg/ffprobe: probing (duration, size, codecs, rotation),
// a poster frame, and transcodes for playback (Opus) and for channels (H.264/AAC MP4). Input is
// always a local file; only container formats of real media are accepted (no playlists or
// concat scripts that could make ffmpeg read other files or the network).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { resolveTool, type ToolOverrides } from './media-tools.js';
import { runTool } from './run-tool.js';
import { disposeTempOutput, makeTempDir } from './temp-output.js';

/** Demuxers allowed to read uploaded media. */
export const ALLOWED_DEMUXERS = [
  'mov,mp4,m4a,3gp,3g2,mj2',
  'matroska,webm',
  'avi',
  'ogg',
  'mp3',
  'wav',
  'flac',
  'aac',
  'amr',
  'amrnb',
  'amrwb',
  'caf',
  'aiff',
  'asf',
  'flv',
  'mpegts',
  'w64',
].join(',');

/** Options placed before `-i` so that the input is read safely. */
const SAFE_INPUT = ['-protocol_whitelist', 'file', '-format_whitelist', ALLOWED_DEMUXERS];

export interface MediaProbe {
  durationSeconds: number | null;
  formatName: string;
  bitRate: number | null;
  hasVideo: boolean;
  hasAudio: boolean;
  videoCodec: string | null;
  audioCodec: string | null;
  /** Stored frame size. */
  width: number | null;
  height: number | null;
  /** Rotation from the display matrix or the rotate tag, normalised to 0, 90, 180 or 270. */
  rotation: number;
  /** Frame size as displayed, rotation applied. */
  displayWidth: number | null;
  displayHeight: number | null;
}

export interface ToolCallOptions {
  timeoutMs?: number;
  tools?: ToolOverrides;
}

const numeric = z.union([z.string(), z.number()]).optional();

const ffprobeSchema = z.object({
  format: z
    .object({ format_name: z.string().optional(), duration: numeric, bit_rate: numeric })
    .partial()
    .optional(),
  streams: z
    .array(
      z.object({
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        duration: numeric,
        tags: z.record(z.string(), z.unknown()).optional(),
        side_data_list: z.array(z.object({ rotation: numeric }).passthrough()).optional(),
      }),
    )
    .optional(),
});

const toNumber = (value: string | number | undefined): number | null => {
  if (value === undefined) return null;
  const n = typeof value === 'number' ? value : Number.parseFloat(value);
  return Number.isFinite(n) ? n : null;
};

const normaliseRotation = (degrees: number): number => (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;

export function parseFfprobe(json: unknown): MediaProbe {
  const parsed = ffprobeSchema.safeParse(json);
  if (!parsed.success) throw new AppError('file_corrupt', 'ffprobe described the file in an unexpected way.');
  const streams = parsed.data.streams ?? [];
  const video = streams.find(
    (s) => s.codec_type === 'video' && s.codec_name !== 'mjpeg' && s.codec_name !== 'png',
  );
  const audio = streams.find((s) => s.codec_type === 'audio');
  const sideRotation = video?.side_data_list?.map((d) => toNumber(d.rotation)).find((r) => r !== null);
  const tagRotation = toNumber(typeof video?.tags?.rotate === 'string' ? video.tags.rotate : undefined);
  const rotation = normaliseRotation(sideRotation ?? tagRotation ?? 0);
  const width = video?.width ?? null;
  const height = video?.height ?? null;
  const swap = rotation === 90 || rotation === 270;
  const duration =
    toNumber(parsed.data.format?.duration) ?? toNumber(video?.duration) ?? toNumber(audio?.duration) ?? null;
  return {
    durationSeconds: duration,
    formatName: parsed.data.format?.format_name ?? 'unknown',
    bitRate: toNumber(parsed.data.format?.bit_rate),
    hasVideo: video !== undefined,
    hasAudio: audio !== undefined,
    videoCodec: video?.codec_name ?? null,
    audioCodec: audio?.codec_name ?? null,
    width,
    height,
    rotation,
    displayWidth: swap ? height : width,
    displayHeight: swap ? width : height,
  };
}

/** Probes a video or audio file. Returns null when ffprobe is not installed. */
export async function probeMedia(path: string, options: ToolCallOptions = {}): Promise<MediaProbe | null> {
  const ffprobe = await resolveTool('ffprobe', options.tools);
  if (!ffprobe) return null;
  const { stdout } = await runTool(
    ffprobe,
    ['-v', 'error', ...SAFE_INPUT, '-print_format', 'json', '-show_format', '-show_streams', path],
    { timeoutMs: options.timeoutMs ?? 15_000, maxOutputBytes: 4 * 1024 * 1024 },
  );
  let json: unknown;
  try {
    json = JSON.parse(stdout.toString('utf8'));
  } catch {
    throw new AppError('file_corrupt', 'ffprobe did not describe the file.');
  }
  return parseFfprobe(json);
}

export interface PosterOptions extends ToolCallOptions {
  /** Long edge of the poster; never enlarged. Default 1280. */
  maxEdge?: number;
}

async function grabFrame(ffmpeg: string, path: string, seek: number, maxEdge: number, timeoutMs: number) {
  const scale = `scale=w='min(iw,${maxEdge})':h='min(ih,${maxEdge})':force_original_aspect_ratio=decrease`;
  const seekArgs = seek > 0 ? ['-ss', seek.toFixed(3)] : [];
  const { stdout } = await runTool(
    ffmpeg,
    [
      '-v',
      'error',
      '-nostdin',
      ...seekArgs,
      ...SAFE_INPUT,
      '-i',
      path,
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      '-an',
      '-sn',
      '-dn',
      '-vf',
      scale,
      '-f',
      'image2pipe',
      '-c:v',
      'mjpeg',
      '-q:v',
      '3',
      '-',
    ],
    { timeoutMs, maxOutputBytes: 16 * 1024 * 1024 },
  );
  return stdout;
}

/**
 * A JPEG poster frame at about 1 s (the first frame for shorter clips), upright. Returns null
 * when ffmpeg is not installed; throws unsupported_media when the file has no video stream.
 */
export async function videoPoster(path: string, options: PosterOptions = {}): Promise<Buffer | null> {
  const ffmpeg = await resolveTool('ffmpeg', options.tools);
  if (!ffmpeg) return null;
  const probe = await probeMedia(path, options);
  if (probe && !probe.hasVideo)
    throw new AppError('unsupported_media', 'The file has no video to show a frame of.');
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxEdge = options.maxEdge ?? 1280;
  const seek = probe?.durationSeconds !== null && (probe?.durationSeconds ?? 0) >= 2 ? 1 : 0;
  const frame = await grabFrame(ffmpeg, path, seek, maxEdge, timeoutMs);
  if (frame.length > 0 || seek === 0) {
    if (frame.length === 0) throw new AppError('file_corrupt', 'ffmpeg found no frame to show in the video.');
    return frame;
  }
  return grabFrame(ffmpeg, path, 0, maxEdge, timeoutMs);
}

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
