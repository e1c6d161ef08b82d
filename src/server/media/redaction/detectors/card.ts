// Payment card numbers: 13–19 digits, possibly grouped by spaces or dashes across several
// OCR words, that pass Luhn and start like a card of a known network (2–6).
import { matchInLine, textBefore, type LineText, type Match, type TextIndex } from '../text-index.js';
import type { Finding, OcrWord } from '../types.js';
import { passesLuhn } from './luhn.js';
import { referenceLabel, runDetector } from './shared.js';

interface Group {
  start: number;
  end: number;
  digits: string;
}

/** Runs of digit groups separated by a single space or dash (a candidate card number). */
function digitRuns(line: LineText): Group[][] {
  const runs: Group[][] = [];
  let current: Group[] = [];
  for (const found of line.text.matchAll(/\d+/g)) {
    const group = { start: found.index, end: found.index + found[0].length, digits: found[0] };
    const previous = current.at(-1);
    const gap = previous ? line.text.slice(previous.end, group.start) : '';
    if (previous && /^(?:[ -]| - )$/.test(gap)) current.push(group);
    else {
      if (current.length > 0) runs.push(current);
      current = [group];
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

const startsLikeCard = (digits: string): boolean => /^[2-6]/.test(digits);

/**
 * Cards are printed whole or in groups of 4 (4-6-5 for Amex, 4-6-4 for Diners, a last group
 * of 1–3 on 19-digit cards); OCR may drop a space and merge two groups of four. Other
 * groupings ("304-3060443-4434863") are order and reference numbers.
 */
function groupedLikeCard(groups: readonly Group[]): boolean {
  if (groups.length === 1) return true;
  const sizes = groups.map((group) => group.digits.length);
  const [first] = sizes;
  if (first !== 4 && first !== 8 && first !== 12) return false;
  return sizes
    .slice(1)
    .every((size, index) => [4, 5, 6, 8, 12].includes(size) || (index === sizes.length - 2 && size <= 3));
}

function cardInRun(line: LineText, run: Group[]): Match | undefined {
  // Longest contiguous sub-run first; a run may carry a leading label number or trailing digits.
  for (let size = run.length; size >= 1; size -= 1) {
    for (let first = 0; first + size <= run.length; first += 1) {
      const groups = run.slice(first, first + size);
      const digits = groups.map((group) => group.digits).join('');
      if (digits.length < 13 || digits.length > 19) continue;
      if (!startsLikeCard(digits) || !groupedLikeCard(groups) || !passesLuhn(digits)) continue;
      // A part of a longer dash-joined number is not a card ("12-4111…").
      const before = run[first - 1];
      const after = run[first + size];
      if (before && line.text.slice(before.end, groups[0]?.start).includes('-')) continue;
      if (after && line.text.slice(groups.at(-1)?.end, after.start).includes('-')) continue;
      const start = groups[0]?.start ?? 0;
      const end = groups.at(-1)?.end ?? 0;
      // Not part of a longer token: "ID4111…", "4111…/2", "1.4111…" are something else.
      if (/[\w.,/]$/.test(line.text.slice(0, start))) continue;
      if (/^(?:[\w/]|[.,]\d)/.test(line.text.slice(end))) continue;
      if (size === 1 && referenceLabel.test(textBefore(line, start))) continue;
      return matchInLine('card', line, start, end);
    }
  }
  return undefined;
}

export function findCards(index: TextIndex): Match[] {
  return index.lines.flatMap((line) =>
    digitRuns(line).flatMap((run) => {
      // Digits glued to letters ("FR84 3605 …", "1Z 252 …") belong to an IBAN or a code.
      if (/[A-Za-z]$/.test(line.text.slice(0, run[0]?.start ?? 0))) return [];
      const match = cardInRun(line, run);
      return match ? [match] : [];
    }),
  );
}

export const detectCards = (words: readonly OcrWord[]): Finding[] => runDetector(findCards, words);
