import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { pdfFirstPage, pdfPageCount } from '../../src/server/media/transform/pdf.js';
import { toolOnPath, useTempDir } from './helpers.js';
import { minimalPdf } from './synthetic-images.js';

const tmp = useTempDir();
const pdftoppm = await toolOnPath('pdftoppm');
const pdfinfo = await toolOnPath('pdfinfo');

describe('PDF', () => {
  it.skipIf(!pdftoppm)(
    `renders the first page with a long edge of 960${pdftoppm ? '' : ' (skipped: pdftoppm is not installed)'}`,
    async () => {
      const path = await tmp.write('two-pages.pdf', minimalPdf(2));
      const page = await pdfFirstPage(path);
      expect(page?.contentType).toBe('image/png');
      const { data, info } = await sharp(page?.buffer ?? Buffer.alloc(0))
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect(info.height).toBe(960);
      expect(info.width).toBe(Math.round((612 / 792) * 960));
      // The blue band drawn near the top of the page (PDF y 600–720 of 792).
      const y = Math.round(((792 - 660) / 792) * 960);
      const at = (y * info.width + Math.round(info.width / 2)) * info.channels;
      expect([data[at], data[at + 1], data[at + 2]]).toEqual([0, 102, 204]);
      const jpeg = await pdfFirstPage(path, { format: 'jpeg', scaleTo: 200 });
      expect((await sharp(jpeg?.buffer ?? Buffer.alloc(0)).metadata()).format).toBe('jpeg');
    },
  );

  it.skipIf(!pdfinfo)(`counts pages${pdfinfo ? '' : ' (skipped: pdfinfo is not installed)'}`, async () => {
    expect(await pdfPageCount(await tmp.write('three.pdf', minimalPdf(3)))).toBe(3);
  });

  it.skipIf(!pdftoppm)('reports a damaged PDF as file_corrupt', async () => {
    const path = await tmp.write('broken.pdf', Buffer.from('%PDF-1.4\nnothing here\n'));
    await expect(pdfFirstPage(path)).rejects.toMatchObject({ code: 'file_corrupt' });
  });

  it('degrades when poppler is absent', async () => {
    const tools = { pdftoppm: null, pdfinfo: null };
    expect(await pdfFirstPage('/any.pdf', { tools })).toBeNull();
    expect(await pdfPageCount('/any.pdf', { tools })).toBeNull();
  });
});
