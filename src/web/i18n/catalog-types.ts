// The shape every message catalog has. English is the source: its keys are the keys of all
// other catalogs, and the type checker refuses a catalog that misses one.
import type en from './catalogs/en.js';

/** A message with plural forms, chosen with Intl.PluralRules on the `count` value. */
export interface PluralMessage {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

export type MessageValue = string | PluralMessage;
export type MessageKey = keyof typeof en.messages;

export interface Catalog {
  /** BCP 47 tag (en, pt-BR). */
  locale: string;
  /** The language's own name, shown in the language picker. */
  name: string;
  messages: Record<MessageKey, MessageValue>;
}
