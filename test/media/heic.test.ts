import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { toJpeg } from '../../src/server/media/transform/convert-image.js';
import { fitImageToBudget } from '../../src/server/media/transform/fit-image-to-budget.js';
import { makeImageDerivatives, makeThumbnail } from '../../src/server/media/transform/make-thumbnail.js';
import { canDecodeHeic, heicToJpeg } from '../../src/server/media/transform/heic.js';
import { probeImage } from '../../src/server/media/transform/probe-image.js';
import { disposeTempOutput } from '../../src/server/media/transform/temp-output.js';
import { toolOnPath, useTempDir } from './helpers.js';

const exec = promisify(execFile);
const tmp = useTempDir();
const heifEnc = await toolOnPath('heif-enc');
const heifConvert = await toolOnPath('heif-convert');
const reason = !heifEnc
  ? 'heif-enc (Debian libheif-examples) is not installed, so no HEIC can be made'
  : !heifConvert
    ? 'heif-convert (Debian libheif-examples) is not installed'
    : '';

async function makeHeic(): Promise<string> {
  const jpeg = await tmp.write(
    'source.jpg',
    await sharp({ create: { width: 640, height: 480, channels: 3, background: '#2050d0' } })
      .composite([
        {
          input: { create: { width: 320, height: 480, channels: 3, background: '#e02020' } },
          left: 0,
          top: 0,
        },
      ])
      .jpeg({ quality: 95 })
      .toBuffer(),
  );
  const heic = tmp.path('photo.heic');
  await exec(heifEnc ?? 'heif-enc', ['-q', '80', '-o', heic, jpeg]);
  return heic;
}

describe('HEIC', () => {
  it('degrades without heif-convert', async () => {
    expect(await canDecodeHeic({ heifConvert: null })).toBe(false);
    await expect(heicToJpeg('/any.heic', { tools: { heifConvert: null } })).rejects.toMatchObject({
      code: 'unsupported_media',
    });
  });

  it.skipIf(reason !== '')(
    `decodes HEVC HEIC to JPEG with heif-convert${reason ? ` (skipped: ${reason})` : ''}`,
    async () => {
      const heic = await makeHeic();
      const probe = await probeImage(heic);
      expect([probe.format, probe.compression, probe.width, probe.height]).toEqual([
        'heif',
        'hevc',
        640,
        480,
      ]);
      expect(await canDecodeHeic()).toBe(true);

      const jpegPath = await heicToJpeg(heic);
      try {
        const { data, info } = await sharp(jpegPath).raw().toBuffer({ resolveWithObject: true });
        expect([info.width, info.height]).toEqual([640, 480]);
        const at = (x: number, y: number) => [data[(y * 640 + x) * 3], data[(y * 640 + x) * 3 + 2]];
        const [leftR, leftB] = at(100, 240);
        const [rightR, rightB] = at(540, 240);
        expect(leftR).toBeGreaterThan(180);
        expect(leftB).toBeLessThan(100);
        expect(rightB).toBeGreaterThan(150);
        expect(rightR).toBeLessThan(100);
      } finally {
        await disposeTempOutput(jpegPath);
      }
      expect(existsSync(jpegPath)).toBe(false);

      const converted = await toJpeg(heic, { maxEdge: 320 });
      expect([converted.width, converted.height, converted.contentType]).toEqual([320, 240, 'image/jpeg']);
      expect((await sharp(converted.buffer).metadata()).exif).toBeUndefined();
    },
  );

  it.skipIf(reason !== '')(
    `thumbnails and fits HEIC transparently${reason ? ` (skipped: ${reason})` : ''}`,
    async () => {
      const heic = await makeHeic();
      const thumb = await makeThumbnail(heic, { longEdge: 160 });
      expect([thumb.width, thumb.height, thumb.sourceWidth, thumb.sourceHeight]).toEqual([
        160, 120, 640, 480,
      ]);
      const { preview } = await makeImageDerivatives(heic);
      expect([preview.width, preview.height]).toEqual([640, 480]);
      const fitted = await fitImageToBudget(heic, { maxBytes: 20 * 1024 });
      expect(fitted.buffer.length).toBeLessThanOrEqual(20 * 1024);
      expect(fitted.ssim).toBeGreaterThan(0.9);
      await expect(makeThumbnail(heic, { tools: { heifConvert: null } })).rejects.toMatchObject({
        code: 'unsupported_media',
      });
      // Bytes in memory cannot be handed to heif-convert.
      await expect(makeThumbnail(await readFile(heic))).rejects.toMatchObject({ code: 'unsupported_media' });
    },
  );
});
