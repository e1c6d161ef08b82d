// The widget's decisions that need no browser: language, per-language texts, file limits,
// text colour on the brand colour, and how the thread merges what the server sends.
import { describe, expect, it } from 'vitest';
import type { VisitorMessage, WidgetLimits } from '../../src/shared/webchat-api.js';
import { textOn } from '../../src/widget/color.js';
import { checkFile } from '../../src/widget/files.js';
import {
  catalogs,
  chooseLanguage,
  formatBytes,
  matchLanguage,
  pickLocalized,
} from '../../src/widget/i18n/index.js';
import { emptyThread, upsertMessages, updateAttachment, type LocalMessage } from '../../src/widget/thread.js';

const MB = 1024 * 1024;

describe('widget language', () => {
  it('follows the page, then the browser, then the channel, and maps regional variants', () => {
    expect(chooseLanguage([undefined, 'pt-BR', 'en-US'])).toBe('pt-BR');
    expect(chooseLanguage(['', 'pt', 'en'])).toBe('pt-BR');
    expect(chooseLanguage([null, 'de-DE', 'es-MX', 'en'])).toBe('es');
    expect(chooseLanguage(['fr', 'de', null])).toBe('en');
    expect(chooseLanguage(['fr', 'de', 'pt-BR'])).toBe('pt-BR');
    expect(matchLanguage('EN_gb')).toBe('en');
  });

  it('has complete catalogs with the same phrases in every language', () => {
    const keys = Object.keys(catalogs.en!).sort();
    for (const [language, catalog] of Object.entries(catalogs)) {
      expect(Object.keys(catalog).sort(), language).toEqual(keys);
    }
    expect(catalogs['pt-BR']!.placeholder).toBe('Escreva uma mensagem…');
  });

  it('picks the channel texts for the language, its base, or the default', () => {
    const texts = { en: 'Chat with us', 'pt-BR': 'Fale com a gente' };
    expect(pickLocalized(texts, 'pt-BR', 'en')).toBe('Fale com a gente');
    expect(pickLocalized(texts, 'pt', 'en')).toBe('Fale com a gente');
    expect(pickLocalized(texts, 'es', 'en')).toBe('Chat with us');
    expect(pickLocalized({ 'pt-BR': 'Olá' }, 'es', null)).toBe('Olá');
    expect(pickLocalized({}, 'en', 'en')).toBeNull();
  });

  it('formats sizes in the visitor language', () => {
    expect(formatBytes(25 * MB, 'en')).toBe('25 MB');
    expect(formatBytes(1536, 'pt-BR')).toBe('1,5 kB');
  });
});

describe('widget file checks', () => {
  const rule = (accept: string[], maxBytes: number) => ({ accept, maxBytes });
  const limits: WidgetLimits = {
    perMessage: 10,
    maxFileBytes: 100 * MB,
    image: { ...rule(['image/jpeg', 'image/png'], 25 * MB), convert: ['image/heic'] },
    video: rule(['video/mp4'], 100 * MB),
    audio: rule(['audio/*'], 25 * MB),
    document: rule(['*/*'], 25 * MB),
  };
  it('refuses what the server would refuse, before uploading', () => {
    expect(checkFile(limits, { type: 'image/png', size: 2 * MB })).toEqual({ ok: true });
    expect(checkFile(limits, { type: 'image/heic', size: 2 * MB })).toEqual({ ok: true });
    expect(checkFile(limits, { type: 'image/png', size: 26 * MB })).toEqual({
      ok: false,
      reason: 'too_large',
      maxBytes: 25 * MB,
    });
    expect(checkFile(limits, { type: 'video/x-msvideo', size: MB })).toEqual({ ok: false, reason: 'type' });
    expect(checkFile(limits, { type: '', size: 60 * MB })).toEqual({ ok: true });
    expect(checkFile(limits, { type: '', size: 101 * MB })).toMatchObject({ ok: false, reason: 'too_large' });
  });
});

describe('widget colours', () => {
  it('writes white on dark brand colours and dark on light ones', () => {
    expect(textOn('#2563eb')).toBe('#fff');
    expect(textOn('#0f766e')).toBe('#fff');
    expect(textOn('#fde047')).toBe('#111418');
    expect(textOn('nonsense')).toBe('#fff');
  });
});

describe('widget thread', () => {
  const message = (id: string, at: number, change: Partial<VisitorMessage> = {}): VisitorMessage => ({
    id,
    from: 'visitor',
    clientId: null,
    text: id,
    status: 'received',
    authorName: null,
    createdAt: at,
    attachments: [],
    ...change,
  });
  const local: LocalMessage = {
    clientId: 'w1',
    text: 'hi',
    files: [],
    state: 'sending',
    error: null,
    createdAt: 5,
  };

  it('orders messages, replaces a local one by its client id, and never shows one twice', () => {
    let state = { ...emptyThread(), locals: [local] };
    state = upsertMessages(state, [message('b', 2), message('a', 1)]);
    state = upsertMessages(state, [message('c', 3, { clientId: 'w1', text: 'hi' }), message('a', 1)]);
    expect(state.messages.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(state.locals).toEqual([]);
  });

  it('keeps the newest state when an older copy arrives late', () => {
    let state = upsertMessages(emptyThread(), [message('r', 1, { from: 'agent', status: 'read' })]);
    state = upsertMessages(state, [message('r', 1, { from: 'agent', status: 'delivered' })]);
    expect(state.messages[0]?.status).toBe('read');
  });

  it('updates an attachment when it becomes ready', () => {
    const attachment = {
      id: 'x',
      name: 'a.jpg',
      contentType: 'image/jpeg',
      size: 1,
      width: 1,
      height: 1,
      kind: 'image' as const,
      state: 'processing' as const,
      url: null,
      thumbnailUrl: null,
      downloadUrl: null,
      linksExpireAt: null,
    };
    let state = upsertMessages(emptyThread(), [message('m', 1, { attachments: [attachment] })]);
    state = updateAttachment(state, { ...attachment, state: 'ready', thumbnailUrl: 'https://t' });
    expect(state.messages[0]?.attachments[0]).toMatchObject({ state: 'ready', thumbnailUrl: 'https://t' });
  });
});
