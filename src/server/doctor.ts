// `doctor`: which optional media tools this machine has. Each missing one degrades a feature
// (a file card instead of a preview), never breaks one.
import { detectMediaTools, describeMediaTools, type ToolKey } from './media/transform/media-tools.js';

const install: Record<ToolKey, string> = {
  ffmpeg: 'apt-get install ffmpeg',
  ffprobe: 'apt-get install ffmpeg',
  pdftoppm: 'apt-get install poppler-utils',
  pdfinfo: 'apt-get install poppler-utils',
  heifConvert: 'apt-get install libheif-examples',
  chromium: 'apt-get install chromium (only for the end-to-end tests)',
};

export async function printDoctor(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  const tools = await detectMediaTools();
  const lines = describeMediaTools(tools);
  const keys = Object.keys(install) as ToolKey[];
  write('Optional media tools:');
  let missing = 0;
  lines.forEach((line, index) => {
    const key = keys[index] as ToolKey;
    const available = tools[key].available;
    if (!available) missing += 1;
    write(`  ${available ? '✓' : '✗'} ${line}${available ? '' : ` — install: ${install[key]}`}`);
  });
  write(
    missing
      ? `${missing} missing: those files are kept and shown as file cards without a preview.`
      : 'All present.',
  );
  return missing;
}
