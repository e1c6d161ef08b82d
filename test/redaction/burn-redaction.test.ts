import exifReader from 'exif-reader';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/server/errors.js';
import { burnRedaction } from '../../src/server/media/redaction/burn-redaction.js';

/** A 200×100 RGB PNG with a different colour in every pixel (so any change shows). */
async function gradientPng(): Promise<Buffer> {
  const width = 200;
  const height = 100;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const offset = (y * width + x) * 3;
      pixels[offset] = x;
      pixels[offset + 1] = y * 2;
      pixels[offset + 2] = (x + y) % 256;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

const rawPixels = async (image: Buffer) =>
  sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });

async function photoWithGps(orientation?: number): Promise<Buffer> {
  const image = sharp({ create: { width: 120, height: 80, channels: 3, background: '#3366cc' } }).jpeg();
  return (orientation ? image.withMetadata({ orientation }) : image)
    .withExifMerge({
      IFD0: { Make: 'Canon', Model: 'EOS 5D' },
      IFD3: {
        GPSLatitudeRef: 'S',
        GPSLatitude: '23/1 33/1 0/1',
        GPSLongitudeRef: 'W',
        GPSLongitude: '46/1 38/1 0/1',
      },
    })
    .toBuffer();
}

const validationError = async (promise: Promise<unknown>): Promise<AppError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};

describe('burnRedaction', () => {
  it('fills the boxes with the solid colour and leaves every other pixel as it was', async () => {
    const original = await gradientPng();
    const boxes = [
      { x: 10, y: 5, width: 30, height: 20 },
      { x: 150, y: 60, width: 50, height: 40 },
    ];
    const result = await burnRedaction(original, boxes, { fill: '#ff00aa' });
    expect(result.contentType).toBe('image/png');
    expect([result.width, result.height]).toEqual([200, 100]);

    const before = await rawPixels(original);
    const after = await rawPixels(result.buffer);
    expect(after.info.channels).toBe(3);
    let inside = 0;
    for (let y = 0; y < 100; y += 1) {
      for (let x = 0; x < 200; x += 1) {
        const offset = (y * 200 + x) * 3;
        const pixel = [...after.data.subarray(offset, offset + 3)];
        const covered = boxes.some((b) => x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height);
        if (covered) {
          inside += 1;
          expect(pixel).toEqual([255, 0, 170]);
        } else {
          expect(pixel).toEqual([...before.data.subarray(offset, offset + 3)]);
        }
      }
    }
    expect(inside).toBe(30 * 20 + 50 * 40);
  });

  it('covers fractional boxes completely by rounding outwards', async () => {
    const result = await burnRedaction(await gradientPng(), [{ x: 10.5, y: 10.5, width: 5, height: 5 }]);
    const { data } = await rawPixels(result.buffer);
    for (const [x, y] of [
      [10, 10],
      [15, 15],
    ] as const) {
      const offset = (y * 200 + x) * 3;
      expect([...data.subarray(offset, offset + 3)]).toEqual([0, 0, 0]);
    }
  });

  it('strips EXIF and GPS and re-encodes other formats as JPEG', async () => {
    const photo = await photoWithGps();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const result = await burnRedaction(photo, [{ x: 0, y: 0, width: 10, height: 10 }]);
    expect(result.contentType).toBe('image/jpeg');
    const meta = await sharp(result.buffer).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(result.buffer.includes(Buffer.from('Canon'))).toBe(false);
  });

  it('takes boxes in the coordinates of the auto-oriented image', async () => {
    // Orientation 6: stored 120×80, displayed 80×120.
    const rotated = await photoWithGps(6);
    expect((await sharp(rotated).metadata()).orientation).toBe(6);
    const result = await burnRedaction(rotated, [{ x: 0, y: 100, width: 80, height: 20 }], {
      fill: '#ffffff',
    });
    expect([result.width, result.height]).toEqual([80, 120]);
    const meta = await sharp(result.buffer).metadata();
    expect([meta.width, meta.height, meta.orientation]).toEqual([80, 120, undefined]);
    const { data } = await rawPixels(result.buffer);
    const at = (x: number, y: number) => [...data.subarray((y * 80 + x) * 3, (y * 80 + x) * 3 + 3)];
    expect(at(40, 110).every((value) => value > 245)).toBe(true);
    expect(at(40, 50).every((value) => value > 245)).toBe(false);
  });

  it.each([
    [{ x: -1, y: 0, width: 10, height: 10 }, /Box 1 .*not inside/],
    [{ x: 195, y: 0, width: 10, height: 10 }, /Box 1 .*not inside/],
    [{ x: 0, y: 0, width: 0, height: 10 }, /Box 1 must have a positive/],
    [{ x: Number.NaN, y: 0, width: 5, height: 5 }, /Box 1 must have finite/],
  ])('rejects an invalid box, naming it: %j', async (bad, message) => {
    const error = await validationError(
      burnRedaction(await gradientPng(), [{ x: 0, y: 0, width: 5, height: 5 }, bad]),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(message);
  });

  it('clips boxes to the image when asked to', async () => {
    const result = await burnRedaction(await gradientPng(), [{ x: 190, y: 90, width: 50, height: 50 }], {
      clip: true,
    });
    const { data } = await rawPixels(result.buffer);
    const offset = (99 * 200 + 199) * 3;
    expect([...data.subarray(offset, offset + 3)]).toEqual([0, 0, 0]);
    const error = await validationError(
      burnRedaction(await gradientPng(), [{ x: 300, y: 0, width: 5, height: 5 }], { clip: true }),
    );
    expect(error.message).toMatch(/Box 0 lies entirely outside/);
  });

  it('refuses too many boxes and a fill that is not a plain colour', async () => {
    const many = Array.from({ length: 201 }, () => ({ x: 0, y: 0, width: 1, height: 1 }));
    expect((await validationError(burnRedaction(await gradientPng(), many))).message).toMatch(/At most 200/);
    const error = await validationError(burnRedaction(await gradientPng(), [], { fill: 'rgba(0,0,0,0)' }));
    expect(error.details?.field).toBe('fill');
  });

  it('keeps camera EXIF readable in the source used above (sanity check of the fixture)', async () => {
    const meta = await sharp(await photoWithGps()).metadata();
    const tags = exifReader(meta.exif ?? Buffer.alloc(0));
    expect(tags.Image?.Make).toBe('Canon');
    expect(tags.GPSInfo?.GPSLatitudeRef).toBe('S');
  });
});
