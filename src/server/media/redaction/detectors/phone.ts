// Phone numbers in national and international formats, found with libphonenumber's matcher
// (full metadata, so a number must be valid for its region, not just the right length).
import { findNumbers, type CountryCode } from 'libphonenumber-js/max';
import { matchInLine, textBefore, type Match, type TextIndex } from '../text-index.js';
import type { Finding, OcrWord } from '../types.js';
import { referenceLabel, runDetector } from './shared.js';

export interface PhoneOptions {
  /** Regions tried, in order, for numbers written without a country code. */
  defaultCountries?: readonly CountryCode[];
}

export const defaultPhoneCountries: readonly CountryCode[] = ['BR', 'US'];

const currencyBefore =
  /(?:R\$|US\$|\$|€|£|¥|\b(?:USD|BRL|EUR|GBP|total|subtotal|price|pre[cç]o|valor)\b:?)\s*$/i;
const dateLike = /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$/;

export function findPhones(index: TextIndex, options: PhoneOptions = {}): Match[] {
  const countries = options.defaultCountries ?? defaultPhoneCountries;
  const matches: Match[] = [];
  for (const line of index.lines) {
    const taken: Array<[number, number]> = [];
    for (const country of countries) {
      for (const found of findNumbers(line.text, { defaultCountry: country, v2: true })) {
        const { startsAt: start, endsAt: end } = found;
        if (taken.some(([s, e]) => s < end && e > start)) continue;
        const text = line.text.slice(start, end);
        const before = textBefore(line, start);
        if (!text.startsWith('+') && referenceLabel.test(before)) continue;
        if (currencyBefore.test(before) || dateLike.test(text)) continue;
        taken.push([start, end]);
        matches.push(matchInLine('phone', line, start, end));
      }
    }
  }
  return matches;
}

export const detectPhones = (words: readonly OcrWord[], options: PhoneOptions = {}): Finding[] =>
  runDetector((index) => findPhones(index, options), words);
