import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/server/errors.js';
import { fitImageToBudget } from '../../src/server/media/transform/fit-image-to-budget.js';
import { probeImage } from '../../src/server/media/transform/probe-image.js';
import { exiftoolTags, gpsOrCameraKeys, useTempDir } from './helpers.js';
import { photoLikeJpeg, photoLikeRaw, pixelBombPng, screenshotLikePng } from './synthetic-images.js';

const KB = 1024;
const tmp = useTempDir();

const pixelAt = async (image: Buffer, x: number, y: number): Promise<number[]> => {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i] ?? -1, data[i + 1] ?? -1, data[i + 2] ?? -1];
};

async function expectClean(buffer: Buffer, name: string): Promise<void> {
  const meta = await sharp(buffer).metadata();
  expect(meta.format).toBe('jpeg');
  expect(meta.exif).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(meta.orientation).toBeUndefined();
  expect(meta.chromaSubsampling).toBe('4:2:0');
  const tags = await exiftoolTags(await tmp.write(name, buffer));
  if (tags) expect(gpsOrCameraKeys(tags)).toEqual([]);
}

describe('fitImageToBudget', () => {
  it('fits a 12 MP photo into 600 KB, records SSIM, and leaves no metadata', async () => {
    const photo = await tmp.write('photo.jpg', await photoLikeJpeg(4000, 3000, 11));
    const result = await fitImageToBudget(photo, { maxBytes: 600 * KB });
    expect(result.buffer.length).toBeLessThanOrEqual(600 * KB);
    expect(result.buffer.length).toBeGreaterThan(0.75 * 600 * KB); // the budget is used, not wasted
    expect(result.width / result.height).toBeCloseTo(4 / 3, 2);
    expect(result.quality).toBeGreaterThanOrEqual(40);
    expect(result.quality).toBeLessThanOrEqual(90);
    expect(result.encodes).toBeGreaterThanOrEqual(1);
    expect(result.encodes + result.sampleEncodes).toBeLessThanOrEqual(12);
    expect(result.ssim).toBeGreaterThan(0.9);
    expect(result.contentType).toBe('image/jpeg');
    const meta = await sharp(result.buffer).metadata();
    expect([meta.width, meta.height]).toEqual([result.width, result.height]);
    await expectClean(result.buffer, 'photo-out.jpg');
  });

  it('keeps a small image whole at the ceiling quality when it already fits', async () => {
    const photo = await photoLikeJpeg(800, 600, 3);
    const result = await fitImageToBudget(photo, { maxBytes: 2000 * KB, measureSsim: false });
    expect(result.quality).toBe(90);
    expect(result.encodes).toBe(1);
    expect([result.width, result.height]).toEqual([800, 600]);
    expect(result.ssim).toBeUndefined();
  });

  it('downscales to maxEdge without enlarging', async () => {
    const photo = await photoLikeJpeg(1200, 900, 4);
    const down = await fitImageToBudget(photo, { maxBytes: 500 * KB, maxEdge: 640, measureSsim: false });
    expect([down.width, down.height]).toEqual([640, 480]);
    const same = await fitImageToBudget(photo, { maxBytes: 500 * KB, maxEdge: 4000, measureSsim: false });
    expect(Math.max(same.width, same.height)).toBeLessThanOrEqual(1200);
  });

  it('shrinks by 0.75 steps when even quality 40 is too big', async () => {
    const photo = await photoLikeJpeg(2000, 1500, 5);
    const result = await fitImageToBudget(photo, { maxBytes: 60 * KB });
    expect(result.buffer.length).toBeLessThanOrEqual(60 * KB);
    expect(result.shrinkSteps).toBeGreaterThan(0);
    expect(result.width).toBe(Math.round(2000 * 0.75 ** result.shrinkSteps));
  });

  it('fits a screenshot-like PNG with text-like contrast', async () => {
    const png = await tmp.write('screen.png', await screenshotLikePng(1920, 1080));
    const result = await fitImageToBudget(png, { maxBytes: 150 * KB });
    expect(result.buffer.length).toBeLessThanOrEqual(150 * KB);
    expect(result.ssim).toBeGreaterThan(0.9);
    await expectClean(result.buffer, 'screen-out.jpg');
  });

  it('lays transparent pixels on white', async () => {
    // Left half fully transparent (with a colour that must not show), right half opaque blue.
    const rgba = Buffer.alloc(200 * 100 * 4);
    for (let i = 0; i < 200 * 100; i += 1) {
      const opaque = i % 200 >= 100;
      rgba.set(opaque ? [0, 0, 255, 255] : [255, 0, 0, 0], i * 4);
    }
    const half = await sharp(rgba, { raw: { width: 200, height: 100, channels: 4 } })
      .png()
      .toBuffer();
    expect((await sharp(half).metadata()).hasAlpha).toBe(true);
    const result = await fitImageToBudget(half, { maxBytes: 50 * KB });
    const [r, g, b] = await pixelAt(result.buffer, 20, 50);
    expect(Math.min(r ?? 0, g ?? 0, b ?? 0)).toBeGreaterThan(240);
    const [r2, g2, b2] = await pixelAt(result.buffer, 180, 50);
    expect(b2).toBeGreaterThan(200);
    expect(Math.max(r2 ?? 255, g2 ?? 255)).toBeLessThan(40);
  });

  it('handles a grey PNG with alpha as RGB on white', async () => {
    const greyAlpha = Buffer.alloc(64 * 64 * 2);
    for (let i = 0; i < 64 * 64; i += 1) greyAlpha.set([90, 128], i * 2);
    const grey = await sharp(greyAlpha, { raw: { width: 64, height: 64, channels: 2 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(2);
    const result = await fitImageToBudget(grey, { maxBytes: 20 * KB });
    const meta = await sharp(result.buffer).metadata();
    expect([meta.format, meta.hasAlpha, meta.width]).toEqual(['jpeg', false, 64]);
    const [r] = await pixelAt(result.buffer, 32, 32);
    expect(r).toBeGreaterThan(140); // half-transparent grey over white
  });

  it('takes the first frame of an animated GIF', async () => {
    const frame = (background: string) =>
      sharp({ create: { width: 120, height: 80, channels: 3, background } })
        .png()
        .toBuffer();
    const gif = await sharp([await frame('#ff0000'), await frame('#0000ff')], { join: { animated: true } })
      .gif()
      .toBuffer();
    const probe = await probeImage(gif);
    expect(probe.isAnimated).toBe(true);
    expect(probe.pages).toBe(2);
    const result = await fitImageToBudget(gif, { maxBytes: 30 * KB });
    expect([result.width, result.height]).toEqual([120, 80]);
    const [r, , b] = await pixelAt(result.buffer, 60, 40);
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(60);
  });

  it('converts a CMYK JPEG to sRGB', async () => {
    const cmyk = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#d02010' } })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    expect((await probeImage(cmyk)).space).toBe('cmyk');
    const result = await fitImageToBudget(cmyk, { maxBytes: 40 * KB });
    const meta = await sharp(result.buffer).metadata();
    expect(meta.space).toBe('srgb');
    expect(meta.channels).toBe(3);
    const [r, g, b] = await pixelAt(result.buffer, 150, 100);
    expect(r).toBeGreaterThan(170);
    expect(Math.max(g ?? 255, b ?? 255)).toBeLessThan(90);
  });

  it('applies EXIF orientation 6: the result is portrait, upright, and has no EXIF', async () => {
    // Stored landscape, with a red block in the stored top-left corner; orientation 6 turns it
    // 90° clockwise, which puts the block at the displayed top-right.
    const stored = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#2040a0' } })
      .composite([
        {
          input: { create: { width: 200, height: 200, channels: 3, background: '#ff0000' } },
          left: 0,
          top: 0,
        },
      ])
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const path = await tmp.write('rotated.jpg', stored);
    const probe = await probeImage(path);
    expect([probe.orientation, probe.width, probe.height]).toEqual([6, 800, 1200]);
    const result = await fitImageToBudget(path, { maxBytes: 80 * KB });
    expect([result.width, result.height]).toEqual([800, 1200]);
    const [r, , b] = await pixelAt(result.buffer, 800 - 50, 50);
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(60);
    const [r2] = await pixelAt(result.buffer, 50, 50);
    expect(r2).toBeLessThan(100);
    await expectClean(result.buffer, 'rotated-out.jpg');
  });

  it('removes GPS and camera EXIF', async () => {
    const withGps = await sharp((await photoLikeRaw(640, 480, 8)).data, {
      raw: { width: 640, height: 480, channels: 3 },
    })
      .jpeg()
      .withExif({
        IFD0: { Make: 'Acme', Model: 'Phone 9' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '48/1 51/1 24/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '2/1 21/1 3/1',
        },
      })
      .toBuffer();
    const path = await tmp.write('gps.jpg', withGps);
    const before = await probeImage(path);
    expect(before.hasGps).toBe(true);
    expect(before.hasCameraExif).toBe(true);
    const tagsBefore = await exiftoolTags(path);
    if (tagsBefore) expect(Object.keys(tagsBefore).some((k) => k.startsWith('GPS:'))).toBe(true);
    const result = await fitImageToBudget(path, { maxBytes: 100 * KB });
    const after = await probeImage(result.buffer);
    expect([after.hasExif, after.hasGps, after.hasCameraExif]).toEqual([false, false, false]);
    await expectClean(result.buffer, 'gps-out.jpg');
  });

  it('fits a 48 MP photo, upright, within budget and without EXIF', async () => {
    const raw = await photoLikeRaw(4000, 3000, 21);
    const big = await sharp(raw.data, { raw: { width: 4000, height: 3000, channels: 3 } })
      .resize(8000, 6000)
      .jpeg({ quality: 90 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const path = await tmp.write('48mp.jpg', big);
    const result = await fitImageToBudget(path, { maxBytes: 600 * KB });
    expect(result.buffer.length).toBeLessThanOrEqual(600 * KB);
    expect(result.height).toBeGreaterThan(result.width);
    expect(result.height / result.width).toBeCloseTo(4 / 3, 2);
    await expectClean(result.buffer, '48mp-out.jpg');
  });

  it('refuses a pixel bomb from its header', async () => {
    const bomb = await tmp.write('bomb.png', pixelBombPng(20000, 20000));
    const error = await fitImageToBudget(bomb, { maxBytes: 600 * KB }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('image_too_large');
    expect((error as AppError).message).toContain('400000000');
  });

  it('throws payload_too_large when nothing can fit', async () => {
    const photo = await photoLikeJpeg(640, 480, 9);
    const error = await fitImageToBudget(photo, { maxBytes: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('payload_too_large');
  });

  it('maps an image it cannot decode to an AppError', async () => {
    const error = await fitImageToBudget(Buffer.from('not an image at all'), { maxBytes: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(['unsupported_media', 'file_corrupt']).toContain((error as AppError).code);
  });
});

/** Camera and location EXIF, as a phone writes it. */
const phoneExif = {
  IFD0: { Make: 'Acme', Model: 'Phone 9' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '48/1 51/1 24/1',
    GPSLongitudeRef: 'E',
    GPSLongitude: '2/1 21/1 3/1',
  },
};

describe('fitImageToBudget: inputs larger than the budget, keeping to it and leaving no metadata', () => {
  it('a photo-like PNG with transparency and EXIF', async () => {
    const raw = await photoLikeRaw(1600, 1200, 21);
    const rgba = Buffer.alloc(raw.width * raw.height * 4);
    for (let i = 0; i < raw.width * raw.height; i += 1) {
      const transparent = i % raw.width < raw.width / 4;
      rgba.set([raw.data[i * 3]!, raw.data[i * 3 + 1]!, raw.data[i * 3 + 2]!, transparent ? 0 : 255], i * 4);
    }
    const png = await sharp(rgba, { raw: { width: raw.width, height: raw.height, channels: 4 } })
      .png()
      .withExif(phoneExif)
      .toBuffer();
    const path = await tmp.write('alpha-exif.png', png);
    const before = await probeImage(path);
    expect([before.hasAlpha, before.hasExif, before.hasGps]).toEqual([true, true, true]);
    const budget = 150 * KB;
    expect(png.length).toBeGreaterThan(budget);
    const result = await fitImageToBudget(path, { maxBytes: budget });
    expect(result.buffer.length).toBeLessThanOrEqual(budget);
    expect(result.contentType).toBe('image/jpeg');
    const after = await probeImage(result.buffer);
    expect([after.hasAlpha, after.hasExif, after.hasGps, after.hasCameraExif]).toEqual([
      false,
      false,
      false,
      false,
    ]);
    await expectClean(result.buffer, 'alpha-exif-out.jpg');
    const [r, g, b] = await pixelAt(result.buffer, 5, Math.round(result.height / 2));
    expect(Math.min(r ?? 0, g ?? 0, b ?? 0)).toBeGreaterThan(230); // transparent laid on white
  });

  it('an animated GIF of photo-like frames', async () => {
    const frame = async (seed: number) => {
      const raw = await photoLikeRaw(400, 300, seed);
      return sharp(raw.data, { raw: { width: 400, height: 300, channels: 3 } })
        .png()
        .toBuffer();
    };
    const gif = await sharp([await frame(31), await frame(32)], { join: { animated: true } })
      .gif()
      .toBuffer();
    const budget = 30 * KB;
    expect(gif.length).toBeGreaterThan(budget);
    const path = await tmp.write('photo.gif', gif);
    const result = await fitImageToBudget(path, { maxBytes: budget });
    expect(result.buffer.length).toBeLessThanOrEqual(budget);
    const after = await probeImage(result.buffer);
    expect([after.isAnimated, after.hasExif, after.hasGps]).toEqual([false, false, false]);
    await expectClean(result.buffer, 'photo-gif-out.jpg');
  });

  it('a CMYK JPEG with camera and location EXIF', async () => {
    const raw = await photoLikeRaw(1200, 900, 41);
    const cmyk = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } })
      .toColourspace('cmyk')
      .jpeg({ quality: 95 })
      .withExif(phoneExif)
      .toBuffer();
    const path = await tmp.write('cmyk-exif.jpg', cmyk);
    const before = await probeImage(path);
    expect([before.space, before.hasExif, before.hasGps]).toEqual(['cmyk', true, true]);
    const budget = 120 * KB;
    expect(cmyk.length).toBeGreaterThan(budget);
    const result = await fitImageToBudget(path, { maxBytes: budget });
    expect(result.buffer.length).toBeLessThanOrEqual(budget);
    const meta = await sharp(result.buffer).metadata();
    expect([meta.space, meta.channels]).toEqual(['srgb', 3]);
    const after = await probeImage(result.buffer);
    expect([after.hasExif, after.hasGps, after.hasCameraExif]).toEqual([false, false, false]);
    await expectClean(result.buffer, 'cmyk-exif-out.jpg');
  });
});
