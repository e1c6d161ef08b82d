// Times and dates in each language's own form, whatever the hour.
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/web/i18n/i18n.js';
import en from '../../src/web/i18n/catalogs/en.js';
import ptBR from '../../src/web/i18n/catalogs/pt-BR.js';

const at = (hour: number, minute: number) => new Date(2026, 10, 24, hour, minute).getTime();

describe('time of day', () => {
  it('uses two-digit 24-hour times in Brazilian Portuguese, after midnight too', () => {
    const { time } = createI18n(ptBR);
    expect([time(at(0, 5)), time(at(9, 5)), time(at(21, 5))]).toEqual(['00:05', '09:05', '21:05']);
  });

  it('uses 12-hour times without a leading zero in English', () => {
    const { time } = createI18n(en);
    expect([time(at(0, 5)), time(at(9, 5)), time(at(21, 5))].map((text) => text.replace(/\s/g, ' '))).toEqual(
      ['12:05 AM', '9:05 AM', '9:05 PM'],
    );
  });
});
