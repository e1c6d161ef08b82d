// Which language the widget speaks: the first we have a catalog for among the script's
// data-lang, the page's lang, the browser's languages and the channel's default; English last.
import type { Catalog } from './catalog.js';
import { en } from './en.js';
import { es } from './es.js';
import { ptBR } from './pt-BR.js';

export type { Catalog } from './catalog.js';

/** One entry per catalog file; a further language is one more file and one more line here. */
export const catalogs: Record<string, Catalog> = { en, 'pt-BR': ptBR, es };

const canonical = (tag: string): string => tag.trim().replace(/_/g, '-').toLowerCase();

/** The catalog tag that best matches a language tag ("pt" and "pt-PT" → "pt-BR", "en-GB" → "en"). */
export function matchLanguage(
  tag: string,
  available: readonly string[] = Object.keys(catalogs),
): string | null {
  const wanted = canonical(tag);
  if (!wanted) return null;
  const exact = available.find((candidate) => canonical(candidate) === wanted);
  if (exact) return exact;
  const base = wanted.split('-')[0];
  return (
    available.find((candidate) => canonical(candidate) === base) ??
    available.find((candidate) => canonical(candidate).split('-')[0] === base) ??
    null
  );
}

export function chooseLanguage(candidates: ReadonlyArray<string | null | undefined>): string {
  for (const candidate of candidates) {
    const match = candidate ? matchLanguage(candidate) : null;
    if (match) return match;
  }
  return 'en';
}

/** A text the channel sets per language: the visitor's language, its base, the default, any. */
export function pickLocalized(
  texts: Record<string, string>,
  language: string,
  fallbackLanguage: string | null,
): string | null {
  const keys = Object.keys(texts);
  if (keys.length === 0) return null;
  const key =
    matchLanguage(language, keys) ??
    (fallbackLanguage ? matchLanguage(fallbackLanguage, keys) : null) ??
    keys[0];
  return key ? (texts[key] ?? null) : null;
}

export function formatBytes(bytes: number, language: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  try {
    return new Intl.NumberFormat(language, {
      style: 'unit',
      unit: units[unit],
      unitDisplay: unit === 0 ? 'long' : 'short',
      maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0,
    }).format(value);
  } catch {
    return `${Math.round(value)} ${['B', 'KB', 'MB', 'GB'][unit]}`;
  }
}
