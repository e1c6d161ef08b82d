// Renders synthetic screenshots from a scene description with sharp (SVG text), and knows
// where every planted piece of personal data ended up, in image pixels.
import sharp from 'sharp';
import type { Box, FindingKind } from '../../src/server/media/redaction/types.js';

export interface Segment {
  text: string;
  /** Set on planted personal data; the segment's box becomes ground truth. */
  kind?: FindingKind;
  color?: string;
  bold?: boolean;
}

export interface TextLine {
  x: number;
  /** Baseline. */
  y: number;
  size: number;
  color: string;
  font?: string;
  segments: Segment[];
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  radius?: number;
}

export interface Scene {
  name: string;
  width: number;
  height: number;
  background: string;
  rects: Rect[];
  lines: TextLine[];
}

export interface Planted {
  kind: FindingKind;
  text: string;
  box: Box;
}

export const defaultFont = 'DejaVu Sans';

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const measured = new Map<string, { left: number; width: number }>();

/** Ink extent of a string drawn at x = 0 in the given font (left bearing and width in px). */
export async function measure(text: string, size: number, font: string, bold: boolean) {
  const key = `${font}|${size}|${bold}|${text}`;
  const known = measured.get(key);
  if (known) return known;
  const width = Math.ceil(text.length * size) + 40;
  const height = Math.ceil(size * 2);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/><text x="10" y="${size * 1.3}" font-family="${font}" font-size="${size}"${bold ? ' font-weight="bold"' : ''} fill="#000">${escapeXml(text)}</text></svg>`;
  const { info } = await sharp(Buffer.from(svg))
    .trim({ threshold: 40 })
    .toBuffer({ resolveWithObject: true });
  const result = { left: -(info.trimOffsetLeft ?? 0) - 10, width: info.width };
  measured.set(key, result);
  return result;
}

/** Lays out a scene's segments left to right, returning the SVG and the planted boxes. */
export async function renderScene(scene: Scene): Promise<{ png: Buffer; planted: Planted[] }> {
  const parts: string[] = [`<rect width="100%" height="100%" fill="${scene.background}"/>`];
  for (const rect of scene.rects) {
    parts.push(
      `<rect x="${rect.x}" y="${rect.y}" width="${rect.width}" height="${rect.height}" rx="${rect.radius ?? 0}" fill="${rect.fill}"/>`,
    );
  }
  const planted: Planted[] = [];
  for (const line of scene.lines) {
    const font = line.font ?? defaultFont;
    const space = (await measure('n', line.size, font, false)).width * 0.7;
    let x = line.x;
    for (const segment of line.segments) {
      const ink = await measure(segment.text, line.size, font, segment.bold ?? false);
      parts.push(
        `<text x="${x.toFixed(1)}" y="${line.y}" font-family="${font}" font-size="${line.size}"${segment.bold ? ' font-weight="bold"' : ''} fill="${segment.color ?? line.color}">${escapeXml(segment.text)}</text>`,
      );
      if (segment.kind) {
        planted.push({
          kind: segment.kind,
          text: segment.text,
          box: {
            x: Math.round(x + ink.left),
            y: Math.round(line.y - line.size * 0.95),
            width: ink.width,
            height: Math.round(line.size * 1.2),
          },
        });
      }
      x += ink.left + ink.width + space;
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}">${parts.join('')}</svg>`;
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  return { png, planted };
}
