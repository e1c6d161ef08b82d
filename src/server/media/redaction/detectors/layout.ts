// Where lines sit relative to each other, so that rules can look at "the line below".
import { unionBox } from '../boxes.js';
import type { LineText, TextIndex } from '../text-index.js';
import type { Box } from '../types.js';

export function lineBox(index: TextIndex, line: LineText): Box | undefined {
  return unionBox(
    line.spans.flatMap((span) => {
      const word = index.words[span.word];
      return word ? [word.box] : [];
    }),
  );
}

/**
 * True when `lower` reads as the line right below `upper` in the same column: it starts
 * within about two and a half line heights below and the two overlap horizontally.
 */
export function isLineBelow(index: TextIndex, upper: LineText, lower: LineText): boolean {
  const a = lineBox(index, upper);
  const b = lineBox(index, lower);
  if (!a || !b) return false;
  const gap = b.y - (a.y + a.height);
  const height = Math.max(a.height, b.height);
  const horizontal = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  return gap > -height / 2 && gap < height * 2.6 && horizontal > 0;
}

/** Lines that follow `line` directly below it (at most `count`). */
export function linesBelow(index: TextIndex, line: LineText, count: number): LineText[] {
  const position = index.lines.indexOf(line);
  const below: LineText[] = [];
  let upper = line;
  for (const next of index.lines.slice(position + 1, position + 1 + count * 3)) {
    if (below.length >= count) break;
    if (!isLineBelow(index, upper, next)) continue;
    below.push(next);
    upper = next;
  }
  return below;
}

/** The line directly above `line`, if there is one. */
export function lineAbove(index: TextIndex, line: LineText): LineText | undefined {
  const position = index.lines.indexOf(line);
  for (const previous of index.lines.slice(Math.max(0, position - 3), position).reverse()) {
    if (isLineBelow(index, previous, line)) return previous;
  }
  return undefined;
}
