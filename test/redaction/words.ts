import type { OcrWord } from '../../src/server/media/redaction/types.js';

/** OCR words for lines of text laid out in a monospace grid: 10 px a character, 30 px a line. */
export function wordsFromLines(lines: readonly string[]): OcrWord[] {
  const words: OcrWord[] = [];
  lines.forEach((line, lineIndex) => {
    for (const found of line.matchAll(/\S+/g)) {
      words.push({
        text: found[0],
        confidence: 90,
        box: { x: 10 + found.index * 10, y: 10 + lineIndex * 30, width: found[0].length * 10, height: 20 },
        line: lineIndex,
      });
    }
  });
  return words;
}

/** The box that characters [start, end) of a line occupy in the grid of wordsFromLines. */
export const gridBox = (lineIndex: number, start: number, end: number) => ({
  x: 10 + start * 10,
  y: 10 + lineIndex * 30,
  width: (end - start) * 10,
  height: 20,
});
