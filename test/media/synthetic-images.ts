// Deterministic synthetic inputs for media tests and benchmarks: photo-like pictures that
// compress like camera photos (smooth gradients, textured regions, hard-edged shapes and
// sensor-like noise), screenshot-like pictures with text-like contrast, and small crafted files.
import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';

/** A small seeded PRNG (mulberry32): the same seed gives the same picture on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

async function upscaledNoise(
  random: () => number,
  width: number,
  height: number,
  cell: number,
  channels: 1 | 3,
): Promise<Buffer> {
  const w = Math.max(2, Math.ceil(width / cell));
  const h = Math.max(2, Math.ceil(height / cell));
  const small = Buffer.alloc(w * h * channels);
  for (let i = 0; i < small.length; i += 1) small[i] = Math.floor(random() * 256);
  return sharp(small, { raw: { width: w, height: h, channels } })
    .resize(width, height, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
}

function shapesSvg(random: () => number, width: number, height: number, count: number): Buffer {
  const colour = (): string =>
    `rgb(${Math.floor(random() * 256)},${Math.floor(random() * 256)},${Math.floor(random() * 256)})`;
  const parts: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const x = Math.floor(random() * width);
    const y = Math.floor(random() * height);
    const size = Math.floor((0.02 + random() * 0.12) * Math.min(width, height));
    const opacity = (0.35 + random() * 0.6).toFixed(2);
    const kind = random();
    if (kind < 0.4) {
      parts.push(`<circle cx="${x}" cy="${y}" r="${size}" fill="${colour()}" fill-opacity="${opacity}"/>`);
    } else if (kind < 0.75) {
      const w = size * (1 + Math.floor(random() * 3));
      parts.push(
        `<rect x="${x}" y="${y}" width="${w}" height="${size}" fill="${colour()}" fill-opacity="${opacity}" transform="rotate(${Math.floor(random() * 90)} ${x} ${y})"/>`,
      );
    } else {
      const points = Array.from(
        { length: 5 },
        () => `${Math.floor(x + (random() - 0.5) * size * 3)},${Math.floor(y + (random() - 0.5) * size * 3)}`,
      ).join(' ');
      parts.push(`<polygon points="${points}" fill="${colour()}" fill-opacity="${opacity}"/>`);
    }
  }
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`,
  );
}

/**
 * A photo-like RGB picture: a sky-to-ground gradient, large soft blobs, a fine texture over the
 * lower part (foliage, gravel), hard-edged shapes with soft opacity, and grain. At JPEG quality 92
 * a 12 MP picture takes about 3–6 MB, like a phone photo.
 */
export async function photoLikeRaw(width: number, height: number, seed = 1): Promise<RawImage> {
  const random = seededRandom(seed);
  const broad = await upscaledNoise(random, width, height, Math.max(8, width / 40), 1);
  const medium = await upscaledNoise(random, width, height, Math.max(4, width / 160), 1);
  const tint = await upscaledNoise(random, width, height, Math.max(8, width / 20), 3);
  const texture = await upscaledNoise(random, width, height, 3, 1);
  const detail = await upscaledNoise(random, width, height, 2, 1);
  const top = [random() * 120 + 100, random() * 120 + 100, random() * 80 + 170];
  const bottom = [random() * 120 + 40, random() * 120 + 50, random() * 80 + 20];
  const horizon = 0.3 + random() * 0.3;
  const grain = 5 + random() * 3;
  const textureAmp = 0.45 + random() * 0.25;
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    const v = y / height;
    const below = Math.min(1, Math.max(0, (v - horizon) * 4));
    const baseR = (top[0] ?? 0) * (1 - v) + (bottom[0] ?? 0) * v;
    const baseG = (top[1] ?? 0) * (1 - v) + (bottom[1] ?? 0) * v;
    const baseB = (top[2] ?? 0) * (1 - v) + (bottom[2] ?? 0) * v;
    const texGain = textureAmp * (0.2 + 0.8 * below);
    const detGain = 0.12 * below;
    for (let x = 0; x < width; x += 1) {
      const p = y * width + x;
      const i = p * 3;
      const luma =
        ((broad[p] ?? 128) - 128) * 0.4 +
        ((medium[p] ?? 128) - 128) * 0.2 +
        ((texture[p] ?? 128) - 128) * texGain +
        ((detail[p] ?? 128) - 128) * detGain +
        (random() + random() - 1) * grain;
      data[i] = Math.max(0, Math.min(255, Math.round(baseR + luma + ((tint[i] ?? 128) - 128) * 0.15)));
      data[i + 1] = Math.max(
        0,
        Math.min(255, Math.round(baseG + luma + ((tint[i + 1] ?? 128) - 128) * 0.15)),
      );
      data[i + 2] = Math.max(
        0,
        Math.min(255, Math.round(baseB + luma + ((tint[i + 2] ?? 128) - 128) * 0.15)),
      );
    }
  }
  const shapes = shapesSvg(random, width, height, 40);
  const composed = await sharp(data, { raw: { width, height, channels: 3 } })
    .composite([{ input: shapes }])
    .removeAlpha()
    .raw()
    .toBuffer();
  return { data: composed, width, height, channels: 3 };
}

export async function photoLikeJpeg(width: number, height: number, seed = 1, quality = 92): Promise<Buffer> {
  const raw = await photoLikeRaw(width, height, seed);
  return sharp(raw.data, { raw: { width, height, channels: raw.channels } })
    .jpeg({ quality })
    .toBuffer();
}

/** A screenshot-like PNG: flat UI panels and rows of dark, word-like marks on white. */
export async function screenshotLikePng(width: number, height: number, seed = 7): Promise<Buffer> {
  const random = seededRandom(seed);
  const parts: string[] = [
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<rect width="${width}" height="56" fill="#1f4e8c"/>`,
    `<rect y="56" width="220" height="${height - 56}" fill="#f1f3f6"/>`,
  ];
  for (let y = 90; y < height - 20; y += 22) {
    let x = 250 + Math.floor(random() * 20);
    const end = width - 30 - Math.floor(random() * 200);
    while (x < end) {
      const w = 8 + Math.floor(random() * 60);
      const shade = random() < 0.1 ? '#1a5fd0' : '#202124';
      parts.push(`<rect x="${x}" y="${y}" width="${w}" height="11" fill="${shade}"/>`);
      x += w + 6;
    }
  }
  for (let y = 80; y < height - 20; y += 36) {
    parts.push(
      `<rect x="20" y="${y}" width="${120 + Math.floor(random() * 60)}" height="12" fill="#5f6368"/>`,
    );
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

function pngChunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}

/** A tiny PNG whose header declares width × height RGB pixels but whose data holds almost nothing. */
export function pixelBombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A minimal valid PDF with the given number of pages, each showing a line of text. */
export function minimalPdf(pages: number): Buffer {
  const objects: string[] = [];
  const pageIds = Array.from({ length: pages }, (_, i) => 4 + i * 2);
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  for (let p = 0; p < pages; p += 1) {
    const id = pageIds[p] ?? 0;
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${id + 1} 0 R >>`,
    );
    const stream = `0 0.4 0.8 rg 72 600 468 120 re f BT /F1 36 Tf 72 500 Td (Invoice page ${p + 1}) Tj ET`;
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  }
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
