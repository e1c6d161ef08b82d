import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { looksLikeScreenshot } from '../../src/server/media/redaction/is-screenshot.js';

const blank = () => sharp({ create: { width: 40, height: 30, channels: 3, background: '#888888' } });

describe('looksLikeScreenshot', () => {
  it('treats a PNG as a screenshot, even with camera EXIF', async () => {
    const png = await blank()
      .png()
      .withExif({ IFD0: { Make: 'Apple', Model: 'iPhone 15' } })
      .toBuffer();
    expect(looksLikeScreenshot(await sharp(png).metadata())).toBe(true);
  });

  it('treats a JPEG with a camera Make/Model as a photo', async () => {
    const jpeg = await blank()
      .jpeg()
      .withExif({ IFD0: { Make: 'Apple', Model: 'iPhone 15' } })
      .toBuffer();
    expect(looksLikeScreenshot(await sharp(jpeg).metadata())).toBe(false);
  });

  it('treats a JPEG without camera EXIF as a screenshot', async () => {
    const plain = await blank().jpeg().toBuffer();
    const software = await blank()
      .jpeg()
      .withExif({ IFD0: { Software: 'Screenshot tool' } })
      .toBuffer();
    expect(looksLikeScreenshot(await sharp(plain).metadata())).toBe(true);
    expect(looksLikeScreenshot(await sharp(software).metadata())).toBe(true);
  });

  it('treats unreadable EXIF as no camera', () => {
    expect(looksLikeScreenshot({ format: 'webp', exif: Buffer.from('not exif at all') })).toBe(true);
  });
});
