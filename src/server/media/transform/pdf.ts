// PDF first-page thumbnails and page counts through poppler's pdftoppm and pdfinfo (Debian
// poppler-utils). The rendering size is fixed by -scale-to, so a PDF with a huge page cannot
// produce a huge bitmap; both tools run under a timeout and an output cap.
import { AppError } from '../../errors.js';
import { resolveTool, type ToolOverrides } from './media-tools.js';
import { runTool } from './run-tool.js';

export interface PdfPageImage {
  buffer: Buffer;
  contentType: 'image/png' | 'image/jpeg';
}

export interface PdfOptions {
  /** Long edge of the rendered page. Default 960. */
  scaleTo?: number;
  format?: 'png' | 'jpeg';
  timeoutMs?: number;
  tools?: ToolOverrides;
}

/** The first page rendered as PNG (default) or JPEG. Returns null when pdftoppm is not installed. */
export async function pdfFirstPage(path: string, options: PdfOptions = {}): Promise<PdfPageImage | null> {
  const pdftoppm = await resolveTool('pdftoppm', options.tools);
  if (!pdftoppm) return null;
  const format = options.format ?? 'png';
  const formatArgs = format === 'png' ? ['-png'] : ['-jpeg', '-jpegopt', 'quality=85'];
  const { stdout } = await runTool(
    pdftoppm,
    ['-f', '1', '-l', '1', '-scale-to', String(options.scaleTo ?? 960), ...formatArgs, '-singlefile', path],
    { timeoutMs: options.timeoutMs ?? 20_000, maxOutputBytes: 32 * 1024 * 1024 },
  );
  if (stdout.length === 0) throw new AppError('file_corrupt', 'pdftoppm rendered no page from the PDF.');
  return { buffer: stdout, contentType: format === 'png' ? 'image/png' : 'image/jpeg' };
}

/** Number of pages from pdfinfo. Returns null when pdfinfo is not installed. */
export async function pdfPageCount(
  path: string,
  options: Omit<PdfOptions, 'format' | 'scaleTo'> = {},
): Promise<number | null> {
  const pdfinfo = await resolveTool('pdfinfo', options.tools);
  if (!pdfinfo) return null;
  const { stdout } = await runTool(pdfinfo, ['-enc', 'UTF-8', path], {
    timeoutMs: options.timeoutMs ?? 10_000,
    maxOutputBytes: 1024 * 1024,
  });
  const match = /^Pages:\s+(\d+)\s*$/m.exec(stdout.toString('utf8'));
  if (!match?.[1]) throw new AppError('file_corrupt', 'pdfinfo did not report a page count.');
  return Number.parseInt(match[1], 10);
}
