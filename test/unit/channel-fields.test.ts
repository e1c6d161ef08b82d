// The settings form asks, for each channel kind, for settings the server's channel
// configuration accepts: a field under another name would be refused as unknown, and the
// admin could not create the channel.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allAdapters } from '../../src/server/channels/all-adapters.js';
import { emailConfigSchema } from '../../src/server/channels/email/email-config.js';
import { mailServerFromUrl } from '../../src/shared/mail-server-url.js';
import { channelFields, fieldsConfig } from '../../src/web/settings/channel-fields.js';
import { emailConfigFrom, invalidMailUrl } from '../../src/web/settings/email-fields.js';

/** The configuration keys the form sends for a kind. */
function sentKeys(kind: keyof typeof channelFields): string[] {
  const keys = channelFields[kind].map((field) => field.key);
  if (kind !== 'email') return keys;
  const sample = Object.fromEntries(
    keys.map((key) => [key, `${key.startsWith('imap') ? 'imaps' : 'smtps'}://u:p@h`]),
  );
  return Object.keys(emailConfigFrom(sample));
}

describe('channel settings fields', () => {
  it.each(allAdapters().map((adapter) => [adapter.kind, adapter] as const))(
    'for %s are settings the server accepts, and cover what it requires',
    (kind, adapter) => {
      const schema = adapter.configSchema;
      expect(schema).toBeInstanceOf(z.ZodObject);
      if (!(schema instanceof z.ZodObject)) return;
      const accepted = Object.keys(schema.shape);
      const asked = sentKeys(kind);
      expect(asked.filter((key) => !accepted.includes(key))).toEqual([]);
      // The website chat's settings are all optional and have a form of their own.
      if (kind === 'webchat') return;
      const required = accepted.filter((key) => !schema.shape[key]?.safeParse(undefined).success);
      expect(required.filter((key) => !asked.includes(key))).toEqual([]);
    },
  );

  it('turn an e-mail form into a configuration the e-mail channel accepts', () => {
    const values = {
      address: 'help@shop.example',
      smtpUrl: 'smtps://help%40shop.example:s3cr%2Ft@smtp.shop.example',
      imapUrl: 'imaps://help@shop.example:pw@imap.shop.example/Support',
    };
    expect(invalidMailUrl(values)).toBeNull();
    const config = emailConfigFrom(fieldsConfig(channelFields.email, values, false));
    const parsed = emailConfigSchema.safeParse(config);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.smtp).toEqual({
      host: 'smtp.shop.example',
      port: 465,
      secure: true,
      user: 'help@shop.example',
      pass: 's3cr/t',
    });
    expect(parsed.data?.imap).toMatchObject({
      host: 'imap.shop.example',
      port: 993,
      secure: true,
      mailbox: 'Support',
    });
  });

  it('name the mail-server URL that cannot be read', () => {
    expect(invalidMailUrl({ smtpUrl: 'smtp.example.com:587' })).toBe('channelField.smtpUrl');
    expect(invalidMailUrl({ smtpUrl: 'smtp://smtp.example.com', imapUrl: 'http://imap.example.com' })).toBe(
      'channelField.imapUrl',
    );
    expect(mailServerFromUrl('smtp://relay.example.com', 'smtp')).toEqual({
      host: 'relay.example.com',
      port: 587,
      secure: false,
    });
    expect(mailServerFromUrl('imap://mail.example.com:1143', 'imap')).toEqual({
      host: 'mail.example.com',
      port: 1143,
      secure: false,
      mailbox: 'INBOX',
    });
  });
});
