// Video and audio through Debian's ffmpeg/ffprobe: probing (duration, size, codecs, rotation)
// and a poster frame. Transcodes are in transcode-media.ts.
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { resolveTool, type ToolOverrides } from './media-tools.js';
import { runTool } from './run-tool.js';
import { SAFE_INPUT } from './ffmpeg-input.js';

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
