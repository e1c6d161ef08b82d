// The website chat's settings as the form edits them, and back: the title and greeting in
// English and Brazilian Portuguese (other languages already stored are kept), the accent
// colour and the websites allowed to embed it.
import { DEFAULT_WIDGET_COLOR, contrastRatio, textOn } from '../../shared/colour-contrast.js';

export const WEBCHAT_LANGUAGES = ['en', 'pt-BR'] as const;
export type WebchatLanguage = (typeof WEBCHAT_LANGUAGES)[number];

/** What the widget shows when a text is left empty (its own catalogs in src/widget/i18n). */
export const WIDGET_DEFAULTS: Record<'title' | 'greeting', Record<WebchatLanguage, string>> = {
  title: { en: 'Chat with us', 'pt-BR': 'Fale com a gente' },
  greeting: { en: 'Hi! How can we help you today?', 'pt-BR': 'Olá! Como podemos ajudar?' },
};

export interface WebchatFormValues {
  title: Record<WebchatLanguage, string>;
  greeting: Record<WebchatLanguage, string>;
  color: string;
  origins: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const slotOf = (locale: unknown): WebchatLanguage =>
  typeof locale === 'string' && locale.toLowerCase().startsWith('pt') ? 'pt-BR' : 'en';

function localizedValues(value: unknown, locale: unknown): Record<WebchatLanguage, string> {
  const values = { en: '', 'pt-BR': '' };
  if (typeof value === 'string') values[slotOf(locale)] = value;
  else if (isRecord(value))
    for (const language of WEBCHAT_LANGUAGES) {
      const text = value[language];
      if (typeof text === 'string') values[language] = text;
    }
  return values;
}

export function webchatValuesFrom(config: Record<string, unknown> = {}): WebchatFormValues {
  const origins = Array.isArray(config.allowedOrigins)
    ? config.allowedOrigins.filter((origin): origin is string => typeof origin === 'string')
    : [];
  return {
    title: localizedValues(config.title, config.locale),
    greeting: localizedValues(config.greeting, config.locale),
    color: typeof config.color === 'string' ? config.color : DEFAULT_WIDGET_COLOR,
    origins: origins.join(', '),
  };
}

/** Commas, spaces or new lines between origins. */
export const splitOrigins = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);

function localizedConfig(
  values: Record<WebchatLanguage, string>,
  stored: unknown,
): Record<string, string> | null {
  const kept: Record<string, string> = {};
  if (isRecord(stored))
    for (const [language, text] of Object.entries(stored))
      if (typeof text === 'string' && !(WEBCHAT_LANGUAGES as readonly string[]).includes(language))
        kept[language] = text;
  for (const language of WEBCHAT_LANGUAGES) {
    const text = values[language].trim();
    if (text) kept[language] = text;
  }
  return Object.keys(kept).length ? kept : null;
}

/**
 * The configuration to send. When editing (`stored` given), a text left empty is sent as null,
 * which removes it; when creating, it is left out.
 */
export function webchatConfigFrom(
  values: WebchatFormValues,
  stored?: Record<string, unknown>,
): Record<string, unknown> {
  const title = localizedConfig(values.title, stored?.title);
  const greeting = localizedConfig(values.greeting, stored?.greeting);
  const config: Record<string, unknown> = {
    allowedOrigins: splitOrigins(values.origins),
    color: values.color.toLowerCase(),
  };
  if (title || stored) config.title = title;
  if (greeting || stored) config.greeting = greeting;
  return config;
}

export type ContrastVerdict = 'good' | 'low';

/** How readable the widget is in this colour: its text on the colour, and the button on a white page. */
export function colourCheck(color: string): {
  text: string;
  textRatio: number;
  textVerdict: ContrastVerdict;
  buttonVerdict: ContrastVerdict;
} | null {
  const text = textOn(color);
  const textRatio = contrastRatio(color, text);
  const onWhite = contrastRatio(color, '#ffffff');
  if (textRatio === null || onWhite === null) return null;
  return {
    text,
    textRatio,
    textVerdict: textRatio >= 4.5 ? 'good' : 'low',
    buttonVerdict: onWhite >= 3 ? 'good' : 'low',
  };
}
