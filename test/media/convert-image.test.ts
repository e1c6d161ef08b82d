import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/server/errors.js';
import { stripMetadata, toJpeg, toPng } from '../../src/server/media/transform/convert-image.js';
import { stripJpegMetadata } from '../../src/server/media/transform/jpeg-metadata.js';
import { probeImage } from '../../src/server/media/transform/probe-image.js';
import { exiftoolTags, gpsOrCameraKeys, useTempDir } from './helpers.js';
import { photoLikeRaw } from './synthetic-images.js';

const tmp = useTempDir();

async function jpegWithEverything(orientation?: number): Promise<Buffer> {
  const raw = await photoLikeRaw(320, 240, 41);
  let image = sharp(raw.data, { raw: { width: 320, height: 240, channels: 3 } })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'Acme', Model: 'Phone 9', ImageDescription: 'kitchen' },
      IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '33/1 51/1 35/1' },
    })
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>',
    );
  if (orientation) image = image.withMetadata({ orientation });
  return image.toBuffer();
}

const rawPixels = (image: Buffer): Promise<Buffer> => sharp(image).raw().toBuffer();

describe('stripJpegMetadata', () => {
  it('drops EXIF, GPS, XMP and comments and keeps the compressed image byte for byte', async () => {
    const original = await jpegWithEverything();
    const before = await probeImage(original);
    expect([before.hasExif, before.hasGps, before.hasXmp]).toEqual([true, true, true]);
    // A comment segment right after SOI, and a second picture after the end of the image.
    const comment = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x0a]), Buffer.from('secret!!')]);
    const trailing = Buffer.from([
      0xff, 0xd8, 0xff, 0xe1, 0x00, 0x08, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0xff, 0xd9,
    ]);
    const input = Buffer.concat([original.subarray(0, 2), comment, original.subarray(2), trailing]);
    const stripped = stripJpegMetadata(input);
    const after = await probeImage(stripped);
    expect([after.hasExif, after.hasGps, after.hasXmp, after.hasCameraExif]).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(stripped.includes(Buffer.from('secret!!'))).toBe(false);
    expect(stripped.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(stripped.length).toBeLessThan(original.length);
    expect((await rawPixels(stripped)).equals(await rawPixels(original))).toBe(true);
    const tags = await exiftoolTags(await tmp.write('stripped.jpg', stripped));
    if (tags) expect(gpsOrCameraKeys(tags)).toEqual([]);
  });

  it('refuses what is not a JPEG', () => {
    expect(() => stripJpegMetadata(Buffer.from('GIF89a'))).toThrow(AppError);
    expect(() => stripJpegMetadata(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]))).toThrow(/damaged/);
  });
});

describe('stripMetadata', () => {
  it('is lossless for an upright JPEG', async () => {
    const original = await jpegWithEverything();
    const path = await tmp.write('upright.jpg', original);
    const stripped = await stripMetadata(path);
    expect((await probeImage(stripped)).hasExif).toBe(false);
    expect((await rawPixels(stripped)).equals(await rawPixels(original))).toBe(true);
  });

  it('re-encodes a rotated JPEG upright', async () => {
    const path = await tmp.write('turned.jpg', await jpegWithEverything(6));
    const stripped = await stripMetadata(path);
    const probe = await probeImage(stripped);
    expect([probe.format, probe.width, probe.height, probe.orientation, probe.hasExif]).toEqual([
      'jpeg',
      240,
      320,
      1,
      false,
    ]);
  });

  it('keeps PNG as PNG and animated GIF animated', async () => {
    const png = await sharp({
      create: { width: 50, height: 40, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } },
    })
      .png()
      .withExif({ IFD0: { Make: 'Acme' } })
      .toBuffer();
    expect((await probeImage(png)).hasExif).toBe(true);
    const strippedPng = await probeImage(await stripMetadata(png));
    expect([strippedPng.format, strippedPng.hasExif, strippedPng.hasAlpha]).toEqual(['png', false, true]);

    const frame = (background: string) =>
      sharp({ create: { width: 30, height: 20, channels: 3, background } })
        .png()
        .toBuffer();
    const gif = await sharp([await frame('#f00'), await frame('#00f')], { join: { animated: true } })
      .gif()
      .toBuffer();
    const strippedGif = await probeImage(await stripMetadata(gif));
    expect([strippedGif.format, strippedGif.isAnimated, strippedGif.pages]).toEqual(['gif', true, 2]);
  });
});

describe('toJpeg and toPng', () => {
  it('converts WebP and AVIF to an upright JPEG without metadata', async () => {
    const base = sharp({
      create: { width: 300, height: 200, channels: 4, background: { r: 0, g: 128, b: 0, alpha: 0.5 } },
    });
    const webp = await tmp.write(
      'in.webp',
      await base.clone().webp().withMetadata({ orientation: 8 }).toBuffer(),
    );
    const jpeg = await toJpeg(webp, { quality: 80 });
    expect(jpeg.contentType).toBe('image/jpeg');
    expect([jpeg.width, jpeg.height]).toEqual([200, 300]);
    const meta = await sharp(jpeg.buffer).metadata();
    expect([meta.format, meta.exif, meta.hasAlpha]).toEqual(['jpeg', undefined, false]);

    const avif = await tmp.write('in.avif', await base.clone().avif().toBuffer());
    const fromAvif = await toJpeg(avif, { maxEdge: 150 });
    expect([fromAvif.width, fromAvif.height]).toEqual([150, 100]);
  });

  it('converts to PNG keeping transparency', async () => {
    const webp = await tmp.write(
      'alpha.webp',
      await sharp({
        create: { width: 40, height: 30, channels: 4, background: { r: 9, g: 9, b: 9, alpha: 0.2 } },
      })
        .webp({ lossless: true })
        .toBuffer(),
    );
    const png = await toPng(webp);
    const meta = await sharp(png.buffer).metadata();
    expect([meta.format, meta.hasAlpha, png.contentType]).toEqual(['png', true, 'image/png']);
  });
});
