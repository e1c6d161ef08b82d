// Message catalogs and locale-aware formatting. Every catalog in ./catalogs is picked up at
// build time: adding a language is adding one file there.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Catalog, MessageKey, MessageValue } from './catalog-types.js';

const modules = import.meta.glob<{ default: Catalog }>('./catalogs/*.ts', { eager: true });

export const catalogs: readonly Catalog[] = Object.values(modules)
  .map((module) => module.default)
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const byLocale = new Map(catalogs.map((catalog) => [catalog.locale.toLowerCase(), catalog]));
const fallback = byLocale.get('en') as Catalog;

/** The best catalog for a preference list (profile first, then the browser's languages). */
export function pickCatalog(preferences: ReadonlyArray<string | null | undefined>): Catalog {
  for (const preference of preferences) {
    if (!preference) continue;
    const tag = preference.toLowerCase();
    const exact = byLocale.get(tag);
    if (exact) return exact;
    const language = tag.split('-')[0] ?? tag;
    const sameLanguage = catalogs.find((catalog) => catalog.locale.toLowerCase().split('-')[0] === language);
    if (sameLanguage) return sameLanguage;
  }
  return fallback;
}

export type Vars = Record<string, string | number>;

export interface I18n {
  locale: string;
  t(key: MessageKey, vars?: Vars): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  bytes(value: number): string;
  date(at: number, options?: Intl.DateTimeFormatOptions): string;
  time(at: number): string;
  /** A compact moment for lists: the time today, the weekday this week, else the date. */
  moment(at: number, now?: number): string;
  /** A day heading for the thread: "Today", "Yesterday" or the full date. */
  day(at: number, now?: number): string;
  list(items: string[]): string;
}

function interpolate(template: string, vars: Vars | undefined, formatNumber: (n: number) => string): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = vars[name];
    if (value === undefined) return match;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

const DAY = 24 * 3600 * 1000;
const startOfDay = (at: number): number => {
  const date = new Date(at);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
};

/** Intl formatters are costly to build: each is made on first use and then kept. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export function createI18n(catalog: Catalog): I18n {
  const locale = catalog.locale;
  const plural = lazy(() => new Intl.PluralRules(locale));
  const numberFormat = lazy(() => new Intl.NumberFormat(locale));
  // 24-hour locales write the hour with two digits ("00:05" in Brazil), 12-hour ones do not
  // ("9:05 AM").
  const timeFormat = lazy(() => {
    const cycle = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle;
    const hour = cycle === 'h23' || cycle === 'h24' ? '2-digit' : 'numeric';
    return new Intl.DateTimeFormat(locale, { hour, minute: '2-digit' });
  });
  const weekdayFormat = lazy(() => new Intl.DateTimeFormat(locale, { weekday: 'short' }));
  const shortDate = lazy(() => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }));
  const longDate = lazy(
    () => new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long' }),
  );
  const yearDate = lazy(
    () => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }),
  );
  const listFormat = lazy(() => new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }));
  const relative = lazy(() => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  const dateFormats = new Map<string, Intl.DateTimeFormat>();
  const numberFormats = new Map<string, Intl.NumberFormat>();
  const dateFormat = (options: Intl.DateTimeFormatOptions) => {
    const key = JSON.stringify(options);
    let format = dateFormats.get(key);
    if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
    return format;
  };
  const numberWith = (options: Intl.NumberFormatOptions) => {
    const key = JSON.stringify(options);
    let format = numberFormats.get(key);
    if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(locale, options)));
    return format;
  };
  const formatNumber = (value: number) => numberFormat().format(value);
  const pick = (value: MessageValue, vars: Vars | undefined): string => {
    if (typeof value === 'string') return value;
    const count = typeof vars?.count === 'number' ? vars.count : 0;
    if (count === 0 && value.zero !== undefined) return value.zero;
    return value[plural().select(count)] ?? value.other;
  };
  const units: Array<[string, number]> = [
    ['kilobyte', 1024],
    ['megabyte', 1024 ** 2],
    ['gigabyte', 1024 ** 3],
  ];
  return {
    locale,
    t(key, vars) {
      const value = catalog.messages[key] ?? fallback.messages[key];
      return interpolate(pick(value, vars), vars, formatNumber);
    },
    number: (value, options) => (options ? numberWith(options).format(value) : formatNumber(value)),
    bytes(value) {
      if (value < 1024) return `${formatNumber(value)} B`;
      let index = 0;
      while (index < units.length - 1 && value >= (units[index + 1]?.[1] ?? Infinity)) index += 1;
      const [unit, divisor] = units[index] ?? ['kilobyte', 1024];
      return numberWith({
        style: 'unit',
        unit,
        unitDisplay: 'short',
        maximumFractionDigits: unit === 'kilobyte' ? 0 : 1,
      }).format(value / divisor);
    },
    date: (at, options) => dateFormat(options ?? { dateStyle: 'medium' }).format(at),
    time: (at) => timeFormat().format(at),
    moment(at, now = Date.now()) {
      const today = startOfDay(now);
      if (at >= today) return timeFormat().format(at);
      if (at >= today - 6 * DAY) return weekdayFormat().format(at);
      if (new Date(at).getFullYear() === new Date(now).getFullYear()) return shortDate().format(at);
      return yearDate().format(at);
    },
    day(at, now = Date.now()) {
      const days = Math.round((startOfDay(at) - startOfDay(now)) / DAY);
      if (days === 0 || days === -1) {
        const text = relative().format(days, 'day');
        return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
      }
      if (new Date(at).getFullYear() === new Date(now).getFullYear()) return longDate().format(at);
      return dateFormat({ dateStyle: 'full' }).format(at);
    },
    list: (items) => listFormat().format(items),
  };
}

const I18nContext = createContext<I18n>(createI18n(fallback));

export function I18nProvider({ catalog, children }: { catalog: Catalog; children: ReactNode }) {
  const value = useMemo(() => createI18n(catalog), [catalog]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = (): I18n => useContext(I18nContext);
