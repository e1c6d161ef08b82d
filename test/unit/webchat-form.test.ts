// The website chat's settings form: stored texts per language in and out (other languages
// kept, emptied ones removed when editing), origins as typed, and the colour check.
import { describe, expect, it } from 'vitest';
import { contrastRatio } from '../../src/shared/colour-contrast.js';
import {
  colourCheck,
  splitOrigins,
  webchatConfigFrom,
  webchatValuesFrom,
  WIDGET_DEFAULTS,
} from '../../src/web/settings/webchat-form.js';
import { en } from '../../src/widget/i18n/en.js';
import { ptBR } from '../../src/widget/i18n/pt-BR.js';

describe('webchat settings form', () => {
  it('previews the same default texts the widget shows', () => {
    expect(WIDGET_DEFAULTS.title).toEqual({ en: en.defaultTitle, 'pt-BR': ptBR.defaultTitle });
    expect(WIDGET_DEFAULTS.greeting).toEqual({ en: en.defaultGreeting, 'pt-BR': ptBR.defaultGreeting });
  });

  it('reads texts per language, a single text into the channel language, and defaults the colour', () => {
    expect(
      webchatValuesFrom({
        allowedOrigins: ['https://a.example', 'https://b.example'],
        title: 'Oi',
        locale: 'pt-BR',
      }),
    ).toEqual({
      title: { en: '', 'pt-BR': 'Oi' },
      greeting: { en: '', 'pt-BR': '' },
      color: '#2563eb',
      origins: 'https://a.example, https://b.example',
    });
    expect(webchatValuesFrom({ greeting: { en: 'Hi', es: 'Hola' } }).greeting).toEqual({
      en: 'Hi',
      'pt-BR': '',
    });
  });

  it('keeps languages the form does not show, and removes emptied texts only when editing', () => {
    const stored = { allowedOrigins: [], title: { en: 'Chat', es: 'Charla' }, greeting: { en: 'Hi' } };
    const values = { ...webchatValuesFrom(stored), greeting: { en: '', 'pt-BR': '' } };
    expect(webchatConfigFrom(values, stored)).toEqual({
      allowedOrigins: [],
      color: '#2563eb',
      title: { en: 'Chat', es: 'Charla' },
      greeting: null,
    });
    expect(webchatConfigFrom(values)).toEqual({
      allowedOrigins: [],
      color: '#2563eb',
      title: { en: 'Chat' },
    });
  });

  it('splits origins on commas, spaces and lines, without a trailing slash', () => {
    expect(splitOrigins('https://a.example/, https://b.example\nhttps://c.example  ')).toEqual([
      'https://a.example',
      'https://b.example',
      'https://c.example',
    ]);
  });

  it('checks the text on the colour and the chat button on a white page', () => {
    expect(contrastRatio('#000', '#ffffff')).toBe(21);
    expect(colourCheck('#0f766e')).toMatchObject({
      text: '#fff',
      textVerdict: 'good',
      buttonVerdict: 'good',
    });
    expect(colourCheck('#0f766e')!.textRatio).toBeGreaterThan(4.5);
    expect(colourCheck('#fde047')).toMatchObject({ text: '#111418', buttonVerdict: 'low' });
    expect(colourCheck('teal')).toBeNull();
  });
});
