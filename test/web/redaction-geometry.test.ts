// The redaction editor's geometry: boxes drawn, moved and resized in image pixels, kept
// inside the image, scaled to the display and back, and rounded outwards for the server.
import { describe, expect, it } from 'vitest';
import {
  centeredBox,
  containsPoint,
  fitScale,
  growRect,
  isDrawable,
  MIN_BOX,
  moveRect,
  padRect,
  rectFromPoints,
  rescaleRect,
  resizeRect,
  textMargin,
  toDisplay,
  toImagePoint,
  toRedactionBox,
} from '../../src/web/redaction/geometry.js';

const image = { width: 1200, height: 800 };

describe('drawing a box', () => {
  it('spans the two corners whichever way the agent drags', () => {
    const expected = { x: 100, y: 50, width: 200, height: 80 };
    expect(rectFromPoints({ x: 100, y: 50 }, { x: 300, y: 130 }, image)).toEqual(expected);
    expect(rectFromPoints({ x: 300, y: 130 }, { x: 100, y: 50 }, image)).toEqual(expected);
    expect(rectFromPoints({ x: 300, y: 50 }, { x: 100, y: 130 }, image)).toEqual(expected);
  });

  it('stops at the edges of the image', () => {
    expect(rectFromPoints({ x: -40, y: 700 }, { x: 50, y: 900 }, image)).toEqual({
      x: 0,
      y: 700,
      width: 50,
      height: 100,
    });
  });

  it('adds a box in the middle of the image for the keyboard', () => {
    expect(centeredBox(image)).toEqual({ x: 480, y: 360, width: 240, height: 80 });
    expect(centeredBox({ width: 10, height: 10 })).toEqual({ x: 3, y: 3, width: MIN_BOX, height: MIN_BOX });
  });

  it('keeps nothing for a click without a drag', () => {
    expect(isDrawable(rectFromPoints({ x: 10, y: 10 }, { x: 11, y: 12 }, image))).toBe(false);
    expect(isDrawable({ x: 0, y: 0, width: MIN_BOX, height: MIN_BOX })).toBe(true);
  });
});

describe('moving and resizing', () => {
  const box = { x: 100, y: 100, width: 200, height: 50 };

  it('moves by a delta without changing the size, and stops at the edges', () => {
    expect(moveRect(box, 10, -5, image)).toEqual({ x: 110, y: 95, width: 200, height: 50 });
    expect(moveRect(box, -500, 0, image)).toEqual({ x: 0, y: 100, width: 200, height: 50 });
    expect(moveRect(box, 5000, 5000, image)).toEqual({ x: 1000, y: 750, width: 200, height: 50 });
  });

  it('resizes from any corner with the opposite corner fixed', () => {
    expect(resizeRect(box, 'se', { x: 350, y: 180 }, image)).toEqual({
      x: 100,
      y: 100,
      width: 250,
      height: 80,
    });
    expect(resizeRect(box, 'nw', { x: 80, y: 90 }, image)).toEqual({ x: 80, y: 90, width: 220, height: 60 });
    expect(resizeRect(box, 'ne', { x: 320, y: 60 }, image)).toEqual({
      x: 100,
      y: 60,
      width: 220,
      height: 90,
    });
    expect(resizeRect(box, 'sw', { x: 150, y: 200 }, image)).toEqual({
      x: 150,
      y: 100,
      width: 150,
      height: 100,
    });
  });

  it('never turns a box inside out or below the smallest size, nor past the image', () => {
    const crossed = resizeRect(box, 'se', { x: 20, y: 20 }, image);
    expect(crossed).toEqual({ x: 100, y: 100, width: MIN_BOX, height: MIN_BOX });
    const outside = resizeRect(box, 'nw', { x: -30, y: -30 }, image);
    expect(outside).toEqual({ x: 0, y: 0, width: 300, height: 150 });
  });

  it('grows from the bottom-right corner with the keyboard', () => {
    expect(growRect(box, 10, 0, image)).toEqual({ x: 100, y: 100, width: 210, height: 50 });
    expect(growRect(box, 0, -100, image)).toEqual({ x: 100, y: 100, width: 200, height: MIN_BOX });
  });

  it('tells whether a point is on a box', () => {
    expect(containsPoint(box, { x: 150, y: 120 })).toBe(true);
    expect(containsPoint(box, { x: 99, y: 120 })).toBe(false);
  });
});

describe('scaling between the display and the image', () => {
  it('fits the whole image in the view and never enlarges a small one', () => {
    expect(fitScale(image, { width: 600, height: 800 })).toBe(0.5);
    expect(fitScale(image, { width: 1200, height: 400 })).toBe(0.5);
    expect(fitScale({ width: 300, height: 200 }, { width: 1200, height: 800 })).toBe(1);
    expect(fitScale(image, { width: 0, height: 0 })).toBe(1);
  });

  it('shows a box at display size and maps a pointer back to image pixels', () => {
    const scale = 0.5;
    expect(toDisplay({ x: 100, y: 60, width: 200, height: 40 }, scale)).toEqual({
      x: 50,
      y: 30,
      width: 100,
      height: 20,
    });
    expect(toImagePoint({ x: 50, y: 30 }, scale)).toEqual({ x: 100, y: 60 });
    // Round trip: a rectangle drawn on screen lands where it was drawn.
    const drawn = rectFromPoints(
      toImagePoint({ x: 10, y: 20 }, 0.25),
      toImagePoint({ x: 60, y: 45 }, 0.25),
      image,
    );
    expect(toDisplay(drawn, 0.25)).toEqual({ x: 10, y: 20, width: 50, height: 25 });
  });

  it('maps a scan made on another size of the image onto this one', () => {
    const box = { x: 100, y: 50, width: 200, height: 20 };
    expect(rescaleRect(box, { width: 2400, height: 1600 }, image)).toEqual({
      x: 50,
      y: 25,
      width: 100,
      height: 10,
    });
    expect(rescaleRect(box, image, image)).toBe(box);
  });
});

describe('margins around recognised text', () => {
  it('grow a box on every side, proportionally to the text height, inside the image', () => {
    expect(textMargin({ x: 0, y: 0, width: 100, height: 40 })).toBe(6);
    expect(textMargin({ x: 0, y: 0, width: 100, height: 8 })).toBe(2);
    expect(padRect({ x: 10, y: 10, width: 100, height: 40 }, 6, image)).toEqual({
      x: 4,
      y: 4,
      width: 112,
      height: 52,
    });
    expect(padRect({ x: 2, y: 780, width: 100, height: 18 }, 6, image)).toEqual({
      x: 0,
      y: 774,
      width: 108,
      height: 26,
    });
  });
});

describe('boxes for the server', () => {
  it('are whole pixels that cover at least the rectangle, inside the image', () => {
    expect(toRedactionBox({ x: 10.6, y: 20.2, width: 100.1, height: 9.5 }, image)).toEqual({
      x: 10,
      y: 20,
      width: 101,
      height: 10,
    });
    expect(toRedactionBox({ x: 1150.5, y: 790.2, width: 80, height: 30 }, image)).toEqual({
      x: 1150,
      y: 790,
      width: 50,
      height: 10,
    });
  });

  it('keep at least one pixel', () => {
    expect(toRedactionBox({ x: 1200, y: 800, width: 0, height: 0 }, image)).toEqual({
      x: 1199,
      y: 799,
      width: 1,
      height: 1,
    });
  });
});
