// IBANs, printed compact or in groups of four, validated by country length and mod 97.
import { wordsInRange, type LineText, type Match, type TextIndex } from '../text-index.js';
import type { Finding, OcrWord } from '../types.js';
import { ibanLengths } from './iban-lengths.js';
import { runDetector } from './shared.js';

/** ISO 7064 mod 97-10 over an IBAN (country and check digits moved to the end). */
export function ibanChecksumValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** True for a compact, upper-case IBAN of the right length for its country with a valid checksum. */
export function isValidIban(iban: string): boolean {
  const length = ibanLengths[iban.slice(0, 2)];
  return length !== undefined && iban.length === length && ibanChecksumValid(iban);
}

interface Compact {
  text: string;
  /** Offset in the line text of each character of `text`. */
  offsets: number[];
}

/** The line without spaces and dashes, upper-cased, remembering where each character came from. */
function compactLine(line: LineText): Compact {
  const offsets: number[] = [];
  let text = '';
  for (let i = 0; i < line.text.length; i += 1) {
    const char = line.text[i] ?? '';
    if (char === ' ' || char === '-') continue;
    text += char.toUpperCase();
    offsets.push(i);
  }
  return { text, offsets };
}

/** Letters OCR reads in place of digits. */
const digitLookalikes: Readonly<Record<string, string>> = {
  O: '0',
  D: '0',
  Q: '0',
  I: '1',
  L: '1',
  Z: '2',
  S: '5',
  B: '8',
};
const asDigits = (text: string): string =>
  text.replace(/[ODQILZSB]/g, (char) => digitLookalikes[char] ?? char);

/** The candidate as read, then with OCR look-alikes fixed: check digits first, then O→0 throughout. */
function repairedIban(candidate: string): string | undefined {
  const country = candidate.slice(0, 2);
  const checked = `${country}${asDigits(candidate.slice(2, 4))}${candidate.slice(4)}`;
  for (const variant of [candidate, checked, `${country}${checked.slice(2).replace(/O/g, '0')}`]) {
    if (isValidIban(variant)) return variant;
  }
  return undefined;
}

function ibansInLine(line: LineText): Match[] {
  const compact = compactLine(line);
  const matches: Match[] = [];
  for (const found of compact.text.matchAll(/(?=([A-Z]{2}[0-9ODQILZSB]{2}))/g)) {
    const length = ibanLengths[found[1]?.slice(0, 2) ?? ''];
    if (length === undefined) continue;
    const iban = repairedIban(compact.text.slice(found.index, found.index + length));
    if (!iban) continue;
    const start = compact.offsets[found.index] ?? 0;
    const end = (compact.offsets[found.index + length - 1] ?? 0) + 1;
    // It must end where a token ends ("…3000 12" is a longer number, not this IBAN).
    if (/^[A-Za-z0-9]/.test(line.text.slice(end))) continue;
    const prefix = line.text.slice(0, start);
    if (/[a-z0-9]$/i.test(prefix) && !/IBAN$/i.test(prefix)) continue;
    matches.push({ kind: 'iban', text: iban, words: wordsInRange(line, start, end) });
  }
  return matches;
}

export const findIbans = (index: TextIndex): Match[] => index.lines.flatMap(ibansInLine);

export const detectIbans = (words: readonly OcrWord[]): Finding[] => runDetector(findIbans, words);
