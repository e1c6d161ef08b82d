// Which optional media tools this server has, found on PATH once and cached. Every transform
// that needs one asks here and degrades when it is missing; the `doctor` command prints it.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { runTool } from './run-tool.js';

export interface ToolInfo {
  available: boolean;
  path: string | null;
  version?: string;
}

export interface MediaTools {
  ffmpeg: ToolInfo;
  ffprobe: ToolInfo;
  pdftoppm: ToolInfo;
  pdfinfo: ToolInfo;
  heifConvert: ToolInfo;
  chromium: ToolInfo;
}

export type ToolKey = keyof MediaTools;

/** Explicit tool paths (or null for "absent") that take precedence over the PATH lookup. */
export type ToolOverrides = Partial<Record<ToolKey, string | null>>;

const executableNames: Record<ToolKey, readonly string[]> = {
  ffmpeg: ['ffmpeg'],
  ffprobe: ['ffprobe'],
  pdftoppm: ['pdftoppm'],
  pdfinfo: ['pdfinfo'],
  heifConvert: ['heif-convert', 'heif-dec'],
  chromium: ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'],
};

const isExecutable = async (path: string): Promise<boolean> => {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first of `names` found as an executable file in the directories of `pathEnv`. */
export async function findOnPath(
  names: readonly string[],
  pathEnv: string = process.env.PATH ?? '',
): Promise<string | null> {
  const dirs = pathEnv.split(delimiter).filter((dir) => dir.length > 0);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

async function chromiumVersion(path: string): Promise<string | undefined> {
  try {
    const { stdout } = await runTool(path, ['--version'], { timeoutMs: 5000, maxOutputBytes: 64 * 1024 });
    return /(\d+(?:\.\d+){1,3})/.exec(stdout.toString('utf8'))?.[1];
  } catch {
    return undefined;
  }
}

async function detect(pathEnv: string | undefined): Promise<MediaTools> {
  const lookup = async (key: ToolKey): Promise<ToolInfo> => {
    const path = await findOnPath(executableNames[key], pathEnv);
    return { available: path !== null, path };
  };
  const [ffmpeg, ffprobe, pdftoppm, pdfinfo, heifConvert, chromium] = await Promise.all([
    lookup('ffmpeg'),
    lookup('ffprobe'),
    lookup('pdftoppm'),
    lookup('pdfinfo'),
    lookup('heifConvert'),
    lookup('chromium'),
  ]);
  if (chromium.path) {
    const version = await chromiumVersion(chromium.path);
    if (version) chromium.version = version;
  }
  return { ffmpeg, ffprobe, pdftoppm, pdfinfo, heifConvert, chromium };
}

let cached: Promise<MediaTools> | undefined;

/**
 * Looks the media tools up on PATH. The answer is cached for the life of the process;
 * `refresh` looks again, and `pathEnv` looks in another PATH (not cached).
 */
export function detectMediaTools(options: { refresh?: boolean; pathEnv?: string } = {}): Promise<MediaTools> {
  if (options.pathEnv !== undefined) return detect(options.pathEnv);
  if (!cached || options.refresh) cached = detect(undefined);
  return cached;
}

/** The path of one tool: the override when one is given (null meaning absent), else PATH. */
export async function resolveTool(key: ToolKey, overrides?: ToolOverrides): Promise<string | null> {
  if (overrides && key in overrides) return overrides[key] ?? null;
  return (await detectMediaTools())[key].path;
}

const toolLabels: Record<ToolKey, string> = {
  ffmpeg: 'ffmpeg (video poster, transcodes)',
  ffprobe: 'ffprobe (duration, size, rotation)',
  pdftoppm: 'pdftoppm (PDF first page)',
  pdfinfo: 'pdfinfo (PDF page count)',
  heifConvert: 'heif-convert (HEIC photos)',
  chromium: 'chromium',
};

/** One line per tool, for the `doctor` command. */
export const describeMediaTools = (tools: MediaTools): string[] =>
  (Object.keys(toolLabels) as ToolKey[]).map((key) => {
    const tool = tools[key];
    const where = tool.available
      ? `${tool.path ?? ''}${tool.version ? ` (${tool.version})` : ''}`
      : 'missing';
    return `${toolLabels[key]}: ${where}`;
  });
