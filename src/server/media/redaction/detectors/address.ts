// Street addresses that a rule can recognise, in English and Portuguese: a house number with
// a street word ("123 Main St", "Rua das Flores, 45", "Av. Paulista 1000"), and postal codes
// (01310-100, 94105) next to such an address or after a CEP/ZIP label or a US state.
import { matchInLine, type LineText, type Match, type TextIndex } from '../text-index.js';
import type { Finding, OcrWord } from '../types.js';
import { linesBelow } from './layout.js';
import { runDetector } from './shared.js';

const englishSuffixes = [
  'Street', 'St', 'Avenue', 'Ave', 'Road', 'Rd', 'Boulevard', 'Blvd', 'Drive', 'Dr', 'Lane', 'Ln', 'Way',
  'Court', 'Ct', 'Place', 'Pl', 'Terrace', 'Parkway', 'Pkwy', 'Highway', 'Hwy', 'Square', 'Sq', 'Circle',
  'Cir', 'Trail', 'Close', 'Crescent', 'Alley', 'Plaza',
]; // prettier-ignore
const suffixAlternatives = englishSuffixes.flatMap((word) => [word, word.toUpperCase()]).join('|');
const capitalized = "[A-Z0-9][A-Za-z0-9'’.-]*";
const unitPart = String.raw`(?:,?\s*(?:Apt|APT|Apartment|Suite|STE|Ste|Unit|UNIT|Floor|Fl|#)\.?\s*#?[A-Za-z0-9-]+)?`;
const englishStreet = new RegExp(
  String.raw`\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:${capitalized}\s+){0,4}?(?:${suffixAlternatives})\b\.?${unitPart}`,
  'g',
);

const portugueseTypes = String.raw`(?:Rua|RUA|R\.|Avenida|AVENIDA|Av\.?|AV\.?|Alameda|Al\.|Travessa|Tv\.|Trav\.|Pra[çc]a|P[çc]a\.|Estrada|Estr\.|Rodovia|Rod\.|Largo|Viela|Servid[ãa]o)`;
const ptName = String.raw`(?:[A-ZÀ-Ý0-9][A-Za-zÀ-ÿ0-9'’.-]*|d[aoe]s?|e)`;
const ptComplement = String.raw`(?:\s*[,-]?\s*(?:apto?\.?|apartamento|ap\.?|sala|bloco|bl\.?|casa|conj\.?|cj\.?|lote|fundos)\s*[A-Za-z0-9-]+)?`;
const portugueseStreet = new RegExp(
  String.raw`(?<![\wÀ-ÿ])${portugueseTypes}\s+${ptName}(?:\s+${ptName}){0,5}?\s*,?\s*(?:n[º°o.]?\s*)?\d{1,5}\b${ptComplement}`,
  'g',
);

const usStates =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY';
/** A postal code that stands on its own: after a CEP/ZIP label, or after a US state. */
const labelledPostalCode = new RegExp(
  String.raw`(?:\b(?:CEP|Cep|cep|ZIP|Zip|zip|Postal code|Postcode|C[oó]digo postal)\s*:?\s*\d{5}-?\d{3,4}\b|\b(?:${usStates}),?\s+\d{5}(?:-\d{4})?\b)`,
  'g',
);
/** A postal code that counts only next to an address. */
const postalCode = /(?<![\d.,/-])(?:\d{5}-\d{3}|\d{5}(?:-\d{4})?)(?![\d.,/-]\d)/g;

function streetMatches(line: LineText): Match[] {
  const matches: Match[] = [];
  for (const pattern of [englishStreet, portugueseStreet]) {
    for (const found of line.text.matchAll(pattern)) {
      matches.push(matchInLine('address', line, found.index, found.index + found[0].length));
    }
  }
  return matches;
}

/** The whole line, when it is short enough to be the city/postal-code line of an address. */
function wholeLine(line: LineText): Match | undefined {
  if (line.spans.length > 9) return undefined;
  return { kind: 'address', text: line.text, words: line.spans.map((span) => span.word) };
}

export function findAddresses(index: TextIndex): Match[] {
  const matches: Match[] = [];
  const nearAddress = new Set<LineText>();
  for (const line of index.lines) {
    const streets = streetMatches(line);
    matches.push(...streets);
    if (streets.length === 0) continue;
    nearAddress.add(line);
    for (const below of linesBelow(index, line, 2)) nearAddress.add(below);
  }
  for (const line of index.lines) {
    for (const found of line.text.matchAll(labelledPostalCode)) {
      const whole = nearAddress.has(line) ? undefined : wholeLine(line);
      matches.push(whole ?? matchInLine('address', line, found.index, found.index + found[0].length));
    }
    if (!nearAddress.has(line)) continue;
    for (const found of line.text.matchAll(postalCode)) {
      const start = found.index;
      const end = start + found[0].length;
      const onStreetLine = streetMatches(line).length > 0;
      matches.push(
        onStreetLine
          ? matchInLine('address', line, start, end)
          : (wholeLine(line) ?? matchInLine('address', line, start, end)),
      );
    }
  }
  return mergeSameLine(index, matches);
}

/**
 * Matches on one line become one finding covering the words between them too (a street and
 * its postal code, "Rua das Flores, 45 - 01310-100").
 */
function mergeSameLine(index: TextIndex, matches: Match[]): Match[] {
  const merged: Match[] = [];
  for (const line of index.lines) {
    const positions = line.spans.map((span) => span.word);
    const onLine = matches.filter((match) => match.words.some((word) => positions.includes(word)));
    if (onLine.length === 0) continue;
    const taken = onLine.flatMap((match) => match.words.map((word) => positions.indexOf(word)));
    const first = Math.min(...taken);
    const last = Math.max(...taken);
    const words = positions.slice(first, last + 1);
    const start = line.spans[first]?.start ?? 0;
    const end = line.spans[last]?.end ?? 0;
    const text = onLine.length === 1 ? (onLine[0]?.text ?? '') : line.text.slice(start, end);
    merged.push({ kind: 'address', text, words });
  }
  return merged;
}

export const detectAddresses = (words: readonly OcrWord[]): Finding[] => runDetector(findAddresses, words);
