import { describe, expect, it } from 'vitest';
import { defaultChannelRules } from '../../src/shared/channel-rules.js';
import {
  originAllowed,
  presentWidgetConfig,
  webchatConfigSchema,
  widgetLimits,
} from '../../src/server/channels/webchat/webchat-config.js';

describe('webchat channel configuration', () => {
  it('keeps origins as scheme, host and port, and refuses paths or other schemes', () => {
    const parsed = webchatConfigSchema.parse({
      allowedOrigins: ['https://Shop.Example/', 'http://localhost:8080', '*'],
    });
    expect(parsed.allowedOrigins).toEqual(['https://shop.example', 'http://localhost:8080', '*']);
    for (const bad of [
      'https://shop.example/checkout',
      'ftp://shop.example',
      'shop.example',
      'https://x.test/?a=1',
    ]) {
      expect(webchatConfigSchema.safeParse({ allowedOrigins: [bad] }).success).toBe(false);
    }
  });

  it('takes titles and greetings as one text or per language, and refuses unknown fields', () => {
    expect(
      webchatConfigSchema.safeParse({
        allowedOrigins: [],
        title: 'Help',
        greeting: { en: 'Hi', 'pt-BR': 'Oi' },
      }).success,
    ).toBe(true);
    expect(webchatConfigSchema.safeParse({ allowedOrigins: [], title: { 'not a tag!': 'x' } }).success).toBe(
      false,
    );
    expect(webchatConfigSchema.safeParse({ allowedOrigins: [], color: 'blue' }).success).toBe(false);
    expect(webchatConfigSchema.safeParse({ allowedOrigins: [], secret: 'x' }).success).toBe(false);
  });

  it('decides origins: allowed ones, this server itself, and requests without an Origin', () => {
    const config = { allowedOrigins: ['https://shop.example'] };
    const own = { publicUrl: 'https://help.example', host: 'help.example' };
    expect(originAllowed(config, 'https://shop.example', own)).toBe(true);
    expect(originAllowed(config, 'https://help.example', own)).toBe(true);
    expect(originAllowed(config, undefined, own)).toBe(true);
    expect(originAllowed(config, 'https://shop.example.evil.test', own)).toBe(false);
    expect(originAllowed(config, 'null', own)).toBe(false);
    expect(originAllowed({ allowedOrigins: ['*'] }, 'https://anyone.test', own)).toBe(true);
    expect(
      originAllowed(config, 'http://10.0.0.5:3000', {
        publicUrl: 'http://127.0.0.1:3000',
        host: '10.0.0.5:3000',
      }),
    ).toBe(true);
  });

  it('shows the rules table limits, capped by the server upload limit', () => {
    const limits = widgetLimits(defaultChannelRules.webchat, { maxUploadBytes: 50 * 1024 * 1024 });
    expect(limits.image.maxBytes).toBe(25 * 1024 * 1024);
    expect(limits.video.maxBytes).toBe(50 * 1024 * 1024);
    expect(limits.maxFileBytes).toBe(50 * 1024 * 1024);
    expect(limits.perMessage).toBe(defaultChannelRules.webchat.perMessage);
    const view = presentWidgetConfig(
      'c1',
      { allowedOrigins: [], title: 'Help', locale: 'pt-BR' },
      { maxUploadBytes: 1 },
    );
    expect(view).toMatchObject({
      title: { 'pt-BR': 'Help' },
      greeting: {},
      color: '#2563eb',
      locale: 'pt-BR',
    });
  });
});
