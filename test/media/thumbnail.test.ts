import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/server/errors.js';
import { MAX_INPUT_PIXELS } from '../../src/server/media/transform/image-input.js';
import {
  makeDisplayPreview,
  makeImageDerivatives,
  makeThumbnail,
} from '../../src/server/media/transform/make-thumbnail.js';
import { assertPixelBudget, probeImage } from '../../src/server/media/transform/probe-image.js';
import { useTempDir } from './helpers.js';
import { photoLikeJpeg, pixelBombPng } from './synthetic-images.js';

const tmp = useTempDir();

const rotatedPhoto = async (): Promise<Buffer> =>
  sharp(await photoLikeJpeg(2000, 1500, 31))
    .composite([
      { input: { create: { width: 300, height: 300, channels: 3, background: '#ff0000' } }, left: 0, top: 0 },
    ])
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();

describe('probeImage', () => {
  it('reads size after orientation, EXIF facts and colour space from the header', async () => {
    const path = await tmp.write('probe.jpg', await rotatedPhoto());
    const probe = await probeImage(path);
    expect(probe).toMatchObject({
      format: 'jpeg',
      width: 1500,
      height: 2000,
      storedWidth: 2000,
      storedHeight: 1500,
      orientation: 6,
      hasAlpha: false,
      isAnimated: false,
      pages: 1,
      hasExif: true,
      hasGps: false,
      hasCameraExif: false,
      space: 'srgb',
    });
    expect(probe.density).toBeGreaterThan(0);
  });

  it('reads a pixel bomb header without decoding it, and the budget check names the pixels', async () => {
    const bomb = await tmp.write('bomb.png', pixelBombPng(20000, 20000));
    const probe = await probeImage(bomb);
    expect([probe.width, probe.height]).toEqual([20000, 20000]);
    expect(() => assertPixelBudget(probe)).toThrowError(
      /20000×20000 \(400000000 pixels, 400\.0 MP\); the limit is 100\.0 MP/,
    );
    expect(() => assertPixelBudget({ width: 10000, height: 10000 }, MAX_INPUT_PIXELS)).not.toThrow();
    try {
      assertPixelBudget(probe, 1000);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('image_too_large');
    }
  });

  it('rejects bytes that are not an image', async () => {
    await expect(probeImage(Buffer.from('%PDF-1.4 hello'))).rejects.toMatchObject({
      code: 'unsupported_media',
    });
  });
});

describe('makeThumbnail', () => {
  it('makes an upright WebP thumbnail with a long edge of 480', async () => {
    const path = await tmp.write('thumb-src.jpg', await rotatedPhoto());
    const thumb = await makeThumbnail(path);
    expect([thumb.width, thumb.height]).toEqual([360, 480]);
    expect([thumb.sourceWidth, thumb.sourceHeight]).toEqual([1500, 2000]);
    expect(thumb.contentType).toBe('image/webp');
    const meta = await sharp(thumb.buffer).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(['webp', 360, 480, undefined]);
    // The stored top-left red block is at the displayed top-right.
    const { data, info } = await sharp(thumb.buffer).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => data[(y * info.width + x) * info.channels] ?? 0;
    expect(at(info.width - 10, 10)).toBeGreaterThan(200);
  });

  it('never enlarges a small image', async () => {
    const small = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#888' } })
      .png()
      .toBuffer();
    const thumb = await makeThumbnail(small);
    expect([thumb.width, thumb.height]).toEqual([200, 100]);
  });

  it('uses the first frame of an animated GIF', async () => {
    const frame = (background: string) =>
      sharp({ create: { width: 64, height: 48, channels: 3, background } })
        .png()
        .toBuffer();
    const gif = await sharp([await frame('#00ff00'), await frame('#ff00ff'), await frame('#0000ff')], {
      join: { animated: true },
    })
      .gif()
      .toBuffer();
    const thumb = await makeThumbnail(gif);
    expect([thumb.width, thumb.height]).toEqual([64, 48]);
    const meta = await sharp(thumb.buffer).metadata();
    expect(meta.pages ?? 1).toBe(1);
    const { data } = await sharp(thumb.buffer).raw().toBuffer({ resolveWithObject: true });
    expect(data[1]).toBeGreaterThan(200); // green
    expect(data[0]).toBeLessThan(60);
  });

  it('rejects a 20000×20000 PNG header as image_too_large without decoding it', async () => {
    // The file holds almost no pixel data: a decoder would fail with file_corrupt, so this code
    // shows that the header check came first.
    const bomb = await tmp.write('bomb2.png', pixelBombPng(20000, 20000));
    const error = await makeThumbnail(bomb).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('image_too_large');
    expect((error as AppError).message).toContain('20000×20000');
  });

  it('refuses a truncated JPEG instead of showing grey blocks', async () => {
    const whole = await photoLikeJpeg(800, 600, 34);
    const cut = await tmp.write('cut.jpg', whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(makeThumbnail(cut)).rejects.toMatchObject({ code: 'file_corrupt' });
  });

  it('maps a missing file to not_found', async () => {
    await expect(makeThumbnail(tmp.path('absent.jpg'))).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('makeImageDerivatives', () => {
  it('makes thumbnail and preview from one decode', async () => {
    const path = await tmp.write('deriv.jpg', await photoLikeJpeg(4000, 3000, 32));
    const { thumbnail, preview, source } = await makeImageDerivatives(path);
    expect([thumbnail.width, thumbnail.height]).toEqual([480, 360]);
    expect([preview.width, preview.height]).toEqual([1600, 1200]);
    expect([source.width, source.height]).toEqual([4000, 3000]);
    expect((await sharp(preview.buffer).metadata()).format).toBe('webp');
    expect(thumbnail.buffer.length).toBeLessThan(preview.buffer.length);
  });

  it('makeDisplayPreview is a larger thumbnail', async () => {
    const preview = await makeDisplayPreview(await photoLikeJpeg(2400, 1800, 33));
    expect([preview.width, preview.height]).toEqual([1600, 1200]);
  });
});
