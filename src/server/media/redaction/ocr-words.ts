// Turns tesseract.js's block → paragraph → line → word tree into flat OcrWords, mapping
// boxes from the (possibly upscaled) recognised image back to the original pixels.
import type Tesseract from 'tesseract.js';
import type { Box, OcrWord } from './types.js';

function toBox(bbox: Tesseract.Bbox, scale: number, width: number, height: number): Box {
  const x = Math.max(0, Math.floor(bbox.x0 / scale));
  const y = Math.max(0, Math.floor(bbox.y0 / scale));
  const right = Math.min(width, Math.ceil(bbox.x1 / scale));
  const bottom = Math.min(height, Math.ceil(bbox.y1 / scale));
  return { x, y, width: Math.max(0, right - x), height: Math.max(0, bottom - y) };
}

/**
 * @param scale how much larger the recognised image was than the original
 * @param width,height the original image's size, to clamp boxes
 */
export function wordsFromBlocks(
  blocks: readonly Tesseract.Block[] | null,
  scale: number,
  width: number,
  height: number,
): OcrWord[] {
  const words: OcrWord[] = [];
  let line = 0;
  (blocks ?? []).forEach((block, blockIndex) => {
    for (const paragraph of block.paragraphs) {
      for (const textLine of paragraph.lines) {
        for (const word of textLine.words) {
          const text = word.text.trim();
          if (text === '') continue;
          words.push({
            text,
            confidence: word.confidence,
            box: toBox(word.bbox, scale, width, height),
            line,
            block: blockIndex,
          });
        }
        line += 1;
      }
    }
  });
  return words;
}
