// E-mail addresses, including ones glued to a label ("email:joe@x.com" boxes the whole word).
import { matchInLine, type Match, type TextIndex } from '../text-index.js';
import type { Finding, OcrWord } from '../types.js';
import { runDetector } from './shared.js';

const emailPattern =
  /[A-Za-z0-9](?:[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])?@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}/g;

export function findEmails(index: TextIndex): Match[] {
  const matches: Match[] = [];
  for (const line of index.lines) {
    for (const found of line.text.matchAll(emailPattern)) {
      matches.push(matchInLine('email', line, found.index, found.index + found[0].length));
    }
  }
  return matches;
}

export const detectEmails = (words: readonly OcrWord[]): Finding[] => runDetector(findEmails, words);
