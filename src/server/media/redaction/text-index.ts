// Joins OCR words into line strings so that detectors can match text with regular
// expressions and map every match back to the words (and so the boxes) it covers.
import { unionBox } from './boxes.js';
import type { Box, FindingKind, OcrWord } from './types.js';

export interface WordSpan {
  /** Index into TextIndex.words. */
  word: number;
  start: number;
  end: number;
}

export interface LineText {
  /** The OCR line; one OCR line spanning columns becomes several LineTexts. */
  line: number;
  /** The words of the line joined by single spaces. */
  text: string;
  spans: WordSpan[];
}

export interface TextIndex {
  words: readonly OcrWord[];
  /** Lines in reading order (ascending line index). */
  lines: LineText[];
}

/** A detector's result before deduplication: the words it covers, by index. */
export interface Match {
  kind: FindingKind;
  text: string;
  words: number[];
}

/**
 * A horizontal gap wider than this many word heights splits an OCR line in two: the
 * recogniser sometimes reads two columns of a page as one line ("Placed on May 1 … Lucas
 * Silva"), and text from different columns must not run together.
 */
const columnGap = 3;

function splitAtColumnGaps(words: readonly OcrWord[], members: number[]): number[][] {
  const parts: number[][] = [];
  let current: number[] = [];
  for (const index of members) {
    const word = words[index];
    const previous = words[current.at(-1) ?? -1];
    if (word && previous) {
      const gap = word.box.x - (previous.box.x + previous.box.width);
      if (gap > columnGap * Math.max(word.box.height, previous.box.height)) {
        parts.push(current);
        current = [];
      }
    }
    current.push(index);
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

export function buildTextIndex(words: readonly OcrWord[]): TextIndex {
  const byLine = new Map<number, number[]>();
  words.forEach((word, index) => {
    if (word.text.trim() === '') return;
    const list = byLine.get(word.line) ?? [];
    list.push(index);
    byLine.set(word.line, list);
  });
  const lines: LineText[] = [];
  for (const line of [...byLine.keys()].sort((a, b) => a - b)) {
    const members = (byLine.get(line) ?? []).sort((a, b) => (words[a]?.box.x ?? 0) - (words[b]?.box.x ?? 0));
    for (const part of splitAtColumnGaps(words, members)) {
      let text = '';
      const spans: WordSpan[] = [];
      for (const word of part) {
        if (text.length > 0) text += ' ';
        const start = text.length;
        text += (words[word]?.text ?? '').trim();
        spans.push({ word, start, end: text.length });
      }
      lines.push({ line, text, spans });
    }
  }
  return { words, lines };
}

/** Indices of the words of a line that the character range [start, end) touches. */
export function wordsInRange(line: LineText, start: number, end: number): number[] {
  return line.spans.filter((span) => span.start < end && span.end > start).map((span) => span.word);
}

/** A match over the character range [start, end) of one line. */
export function matchInLine(kind: FindingKind, line: LineText, start: number, end: number): Match {
  return { kind, text: line.text.slice(start, end), words: wordsInRange(line, start, end) };
}

export function matchBox(index: TextIndex, match: Match): Box | undefined {
  return unionBox(
    match.words.flatMap((position) => {
      const word = index.words[position];
      return word ? [word.box] : [];
    }),
  );
}

/** Text of the words of a line that come before the character offset (trailing context). */
export const textBefore = (line: LineText, offset: number, chars = 40): string =>
  line.text.slice(Math.max(0, offset - chars), offset);
