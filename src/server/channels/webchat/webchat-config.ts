// A webchat channel's settings: the sites that may embed it, and how the widget greets
// visitors (title and greeting per language, accent colour, default language).
import { z } from 'zod';
import { defaultChannelRules, type ChannelRules } from '../../../shared/channel-rules.js';
import { DEFAULT_WIDGET_COLOR, type WidgetConfig, type WidgetLimits } from '../../../shared/webchat-api.js';
import type { Config } from '../../config.js';

const languageTag = z
  .string()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a language tag such as "en" or "pt-BR"');

const localized = (max: number) =>
  z.union([z.string().trim().min(1).max(max), z.record(languageTag, z.string().trim().min(1).max(max))]);

/** "https://shop.example" (scheme, host and port only), or "*" for any site. */
export const originSchema = z
  .string()
  .trim()
  .transform((value, context) => {
    if (value === '*') return value;
    try {
      const url = new URL(value);
      if (!/^https?:$/.test(url.protocol) || (url.pathname !== '/' && url.pathname !== '') || url.search)
        throw new Error('not an origin');
      return url.origin;
    } catch {
      context.addIssue({
        code: 'custom',
        message: `"${value}" is not an origin such as https://shop.example (no path)`,
      });
      return z.NEVER;
    }
  });

export const webchatConfigSchema = z.strictObject({
  allowedOrigins: z.array(originSchema).max(100),
  title: localized(80).optional(),
  greeting: localized(500).optional(),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #2563eb')
    .optional(),
  locale: languageTag.optional(),
  askForContact: z.boolean().optional(),
});

export type WebchatConfig = z.infer<typeof webchatConfigSchema>;

export const DEFAULT_COLOR = DEFAULT_WIDGET_COLOR;

/** The one line a website pastes before </body> to show the widget for a channel. */
export const widgetSnippet = (publicUrl: string, channelId: string): string =>
  `<script src="${publicUrl}/widget.js" data-channel="${channelId}" async></script>`;

/** Reads a stored configuration, tolerating fields added by later versions. */
export function readWebchatConfig(raw: Record<string, unknown>): WebchatConfig {
  const parsed = webchatConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const origins = Array.isArray(raw.allowedOrigins)
    ? raw.allowedOrigins.filter((origin): origin is string => typeof origin === 'string')
    : [];
  return { allowedOrigins: origins };
}

const asMap = (value: WebchatConfig['title'], locale: string): Record<string, string> =>
  value === undefined ? {} : typeof value === 'string' ? { [locale]: value } : value;

/** The channel's limits as the widget shows them before an upload; the server enforces the same. */
export function widgetLimits(rules: ChannelRules, config: Pick<Config, 'maxUploadBytes'>): WidgetLimits {
  const cap = (bytes: number) => Math.min(bytes, config.maxUploadBytes);
  const rule = (family: 'image' | 'video' | 'audio' | 'document') => ({
    accept: [...rules[family].accept],
    maxBytes: cap(rules[family].maxBytes),
    ...(rules[family].convert ? { convert: [...(rules[family].convert ?? [])] } : {}),
    ...(rules[family].convertTo ? { convertTo: rules[family].convertTo } : {}),
  });
  const families = {
    image: rule('image'),
    video: rule('video'),
    audio: rule('audio'),
    document: rule('document'),
  };
  return {
    perMessage: rules.perMessage,
    maxFileBytes: Math.max(...Object.values(families).map((family) => family.maxBytes)),
    ...families,
  };
}

export function presentWidgetConfig(
  channelId: string,
  config: WebchatConfig,
  server: Pick<Config, 'maxUploadBytes'>,
  rules: ChannelRules = defaultChannelRules.webchat,
): WidgetConfig {
  const locale = config.locale ?? null;
  return {
    channelId,
    title: asMap(config.title, locale ?? 'en'),
    greeting: asMap(config.greeting, locale ?? 'en'),
    color: config.color ?? DEFAULT_COLOR,
    locale,
    askForContact: config.askForContact ?? true,
    limits: widgetLimits(rules, server),
  };
}

/**
 * Whether a browser page at `origin` may use the channel: one of its allowed origins, or this
 * server's own pages (the demo, the agent app), which are never a third party.
 */
export function originAllowed(
  config: WebchatConfig,
  origin: string | undefined,
  own: { publicUrl: string; host: string | undefined },
): boolean {
  if (origin === undefined) return true;
  if (config.allowedOrigins.includes('*') || config.allowedOrigins.includes(origin)) return true;
  if (origin === new URL(own.publicUrl).origin) return true;
  return own.host !== undefined && (origin === `http://${own.host}` || origin === `https://${own.host}`);
}
