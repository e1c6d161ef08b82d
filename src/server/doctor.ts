// Which optional media tools this machine has. Each missing one degrades a feature (a file
// card instead of a preview), never breaks one.
import { spawnSync } from 'node:child_process';

export interface ToolReport {
  name: string;
  command: string;
  available: boolean;
  version: string | null;
  enables: string;
  install: string;
}

const TOOLS: Array<Omit<ToolReport, 'available' | 'version'> & { args: string[] }> = [
  {
    name: 'ffmpeg',
    command: 'ffmpeg',
    args: ['-version'],
    enables: 'video posters, audio conversion for WhatsApp',
    install: 'apt-get install ffmpeg',
  },
  {
    name: 'ffprobe',
    command: 'ffprobe',
    args: ['-version'],
    enables: 'video and audio durations',
    install: 'apt-get install ffmpeg',
  },
  {
    name: 'pdftoppm',
    command: 'pdftoppm',
    args: ['-v'],
    enables: 'PDF first-page thumbnails',
    install: 'apt-get install poppler-utils',
  },
  {
    name: 'heif-convert',
    command: 'heif-convert',
    args: ['--version'],
    enables: 'iPhone HEIC photos',
    install: 'apt-get install libheif-examples',
  },
  {
    name: 'chromium',
    command: 'chromium',
    args: ['--version'],
    enables: 'end-to-end tests of the agent app',
    install: 'apt-get install chromium',
  },
];

export function checkTools(): ToolReport[] {
  return TOOLS.map(({ args, ...tool }) => {
    const result = spawnSync(tool.command, args, { encoding: 'utf8', timeout: 5000 });
    const available = !result.error && result.status !== null;
    const output =
      `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').find((line) => line.trim()) ?? null;
    return { ...tool, available, version: available ? output : null };
  });
}

export function printDoctor(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): void {
  write('Optional media tools:');
  for (const tool of checkTools()) {
    write(
      tool.available
        ? `  ✓ ${tool.name.padEnd(13)} ${tool.version ?? ''}`
        : `  ✗ ${tool.name.padEnd(13)} missing: ${tool.enables} will fall back to a file card (install: ${tool.install})`,
    );
  }
}
