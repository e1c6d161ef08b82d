// Box geometry for the redaction editor. Boxes live in the pixels of the image (orientation
// applied), which is what the server burns; the view scales them to the size on screen.
import type { RedactionBox } from '../../shared/redaction-api.js';

export interface Point {
  x: number;
  y: number;
}
export interface Size {
  width: number;
  height: number;
}
export interface Rect extends Point, Size {}

/** Corner handles of a selected box. */
export type Handle = 'nw' | 'ne' | 'sw' | 'se';
export const handles: readonly Handle[] = ['nw', 'ne', 'sw', 'se'];

/** Smallest box, in image pixels, kept after drawing or resizing. */
export const MIN_BOX = 4;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** The rectangle spanned by two corners, whichever way the agent dragged, kept inside the image. */
export function rectFromPoints(a: Point, b: Point, image: Size): Rect {
  const left = clamp(Math.min(a.x, b.x), 0, image.width);
  const top = clamp(Math.min(a.y, b.y), 0, image.height);
  const right = clamp(Math.max(a.x, b.x), 0, image.width);
  const bottom = clamp(Math.max(a.y, b.y), 0, image.height);
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** Big enough to keep (a click without a drag draws nothing). */
export const isDrawable = (rect: Rect): boolean => rect.width >= MIN_BOX && rect.height >= MIN_BOX;

/** Moves a box by a delta, stopping at the image's edges; its size never changes. */
export function moveRect(rect: Rect, dx: number, dy: number, image: Size): Rect {
  return {
    ...rect,
    x: clamp(rect.x + dx, 0, Math.max(0, image.width - rect.width)),
    y: clamp(rect.y + dy, 0, Math.max(0, image.height - rect.height)),
  };
}

/** Drags one corner to a point; the opposite corner stays put and the box keeps MIN_BOX. */
export function resizeRect(rect: Rect, handle: Handle, point: Point, image: Size): Rect {
  const left = rect.x;
  const top = rect.y;
  const right = rect.x + rect.width;
  const bottom = rect.y + rect.height;
  const x = clamp(point.x, 0, image.width);
  const y = clamp(point.y, 0, image.height);
  const west = handle === 'nw' || handle === 'sw';
  const north = handle === 'nw' || handle === 'ne';
  const newLeft = west ? Math.min(x, right - MIN_BOX) : left;
  const newRight = west ? right : Math.max(x, left + MIN_BOX);
  const newTop = north ? Math.min(y, bottom - MIN_BOX) : top;
  const newBottom = north ? bottom : Math.max(y, top + MIN_BOX);
  return { x: newLeft, y: newTop, width: newRight - newLeft, height: newBottom - newTop };
}

/** Grows or shrinks a box from its bottom-right corner (keyboard resizing). */
export function growRect(rect: Rect, dw: number, dh: number, image: Size): Rect {
  return resizeRect(rect, 'se', { x: rect.x + rect.width + dw, y: rect.y + rect.height + dh }, image);
}

/** The scale that shows the whole image inside the view, never enlarging a small one. */
export function fitScale(image: Size, view: Size): number {
  if (image.width <= 0 || image.height <= 0 || view.width <= 0 || view.height <= 0) return 1;
  return Math.min(1, view.width / image.width, view.height / image.height);
}

/** A new box for the keyboard: a fifth of the width, a tenth of the height, in the middle. */
export function centeredBox(image: Size): Rect {
  const width = Math.max(MIN_BOX, Math.round(image.width / 5));
  const height = Math.max(MIN_BOX, Math.round(image.height / 10));
  return {
    x: Math.round((image.width - width) / 2),
    y: Math.round((image.height - height) / 2),
    width: Math.min(width, image.width),
    height: Math.min(height, image.height),
  };
}

/** Image pixels → display pixels. */
export function toDisplay(rect: Rect, scale: number): Rect {
  return { x: rect.x * scale, y: rect.y * scale, width: rect.width * scale, height: rect.height * scale };
}

/** A point on screen (relative to the image's top-left corner) → image pixels. */
export function toImagePoint(point: Point, scale: number): Point {
  return { x: point.x / scale, y: point.y / scale };
}

/** Rescales a rectangle measured on one size of the image to another (e.g. a scan's size). */
export function rescaleRect(rect: Rect, from: Size, to: Size): Rect {
  if (from.width === to.width && from.height === to.height) return rect;
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  return { x: rect.x * sx, y: rect.y * sy, width: rect.width * sx, height: rect.height * sy };
}

/** Grows a rectangle by a margin on every side, inside the image. */
export function padRect(rect: Rect, margin: number, image: Size): Rect {
  const left = clamp(rect.x - margin, 0, image.width);
  const top = clamp(rect.y - margin, 0, image.height);
  const right = clamp(rect.x + rect.width + margin, 0, image.width);
  const bottom = clamp(rect.y + rect.height + margin, 0, image.height);
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * The margin around recognised text: word boxes hug the glyphs, and anti-aliased edges,
 * ascenders and descenders can stick out of them.
 */
export const textMargin = (rect: Rect): number => Math.max(2, Math.round(rect.height * 0.15));

/**
 * The whole-pixel box the server burns: it covers at least the rectangle (edges rounded
 * outwards) and stays inside the image.
 */
export function toRedactionBox(rect: Rect, image: Size): RedactionBox {
  const left = clamp(Math.floor(rect.x), 0, Math.max(0, image.width - 1));
  const top = clamp(Math.floor(rect.y), 0, Math.max(0, image.height - 1));
  const right = clamp(Math.ceil(rect.x + rect.width), left + 1, image.width);
  const bottom = clamp(Math.ceil(rect.y + rect.height), top + 1, image.height);
  return { x: left, y: top, width: right - left, height: bottom - top };
}

export const containsPoint = (rect: Rect, point: Point): boolean =>
  point.x >= rect.x && point.x <= rect.x + rect.width && point.y >= rect.y && point.y <= rect.y + rect.height;
