// All detectors together: every kind proposed once, overlaps resolved by kind priority.
import { buildTextIndex, type Match, type TextIndex } from '../text-index.js';
import type { Finding, FindingKind, OcrWord } from '../types.js';
import { findAddresses } from './address.js';
import { findCards } from './card.js';
import { findEmails } from './email.js';
import { findIbans } from './iban.js';
import { findNames } from './name.js';
import { findPhones, type PhoneOptions } from './phone.js';
import { toFindings } from './shared.js';

export type DetectOptions = PhoneOptions;

/** When two findings share words, the kind earlier in this list wins. */
export const kindPriority: readonly FindingKind[] = ['card', 'iban', 'email', 'phone', 'address', 'name'];

/** Keeps each word in at most one finding, preferring higher-priority kinds, then longer matches. */
export function resolveOverlaps(matches: readonly Match[]): Match[] {
  const ordered = [...matches].sort(
    (a, b) => kindPriority.indexOf(a.kind) - kindPriority.indexOf(b.kind) || b.words.length - a.words.length,
  );
  const claimed = new Set<number>();
  const kept: Match[] = [];
  for (const match of ordered) {
    if (match.words.length === 0 || match.words.some((word) => claimed.has(word))) continue;
    for (const word of match.words) claimed.add(word);
    kept.push(match);
  }
  return kept;
}

export function findPersonalData(index: TextIndex, options: DetectOptions = {}): Match[] {
  const emails = findEmails(index);
  const phones = findPhones(index, options);
  return resolveOverlaps([
    ...findCards(index),
    ...findIbans(index),
    ...emails,
    ...phones,
    ...findAddresses(index),
    ...findNames(index, [...emails, ...phones]),
  ]);
}

/** Proposes redaction boxes over personal data among OCR words, in reading order. */
export function detectPersonalData(words: readonly OcrWord[], options: DetectOptions = {}): Finding[] {
  const index = buildTextIndex(words);
  const matches = findPersonalData(index, options).sort(
    (a, b) => Math.min(...a.words) - Math.min(...b.words),
  );
  return toFindings(index, matches);
}
