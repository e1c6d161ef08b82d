import { describe, expect, it } from 'vitest';
import { decideAttachment, defaultChannelRules, splitIntoMessages } from '../../src/shared/channel-rules.js';

const KB = 1024;
const MB = 1024 * 1024;

describe('channel rules', () => {
  it('fits large photos for MMS and converts HEIC', () => {
    const sms = defaultChannelRules.sms;
    expect(decideAttachment(sms, { contentType: 'image/jpeg', size: 300 * KB })).toEqual({ action: 'send' });
    expect(decideAttachment(sms, { contentType: 'image/jpeg', size: 4 * MB })).toEqual({
      action: 'fit',
      to: 'image/jpeg',
      maxBytes: 600 * KB,
    });
    expect(decideAttachment(sms, { contentType: 'image/heic', size: 200 * KB })).toMatchObject({
      action: 'fit',
      to: 'image/jpeg',
    });
  });

  it('sends a file that no transform can shrink as a secure link', () => {
    expect(
      decideAttachment(defaultChannelRules.sms, { contentType: 'application/pdf', size: 2 * MB }),
    ).toEqual({ action: 'link', reason: 'too_large' });
    expect(
      decideAttachment(defaultChannelRules.sms, { contentType: 'application/zip', size: 10 * KB }),
    ).toEqual({ action: 'link', reason: 'type_not_supported' });
    expect(
      decideAttachment(
        defaultChannelRules.sms,
        { contentType: 'image/jpeg', size: 10 * KB },
        { mediaAllowed: false },
      ),
    ).toEqual({ action: 'link', reason: 'destination' });
  });

  it('refuses on webchat what it cannot deliver', () => {
    expect(
      decideAttachment(defaultChannelRules.webchat, { contentType: 'video/mp4', size: 500 * MB }),
    ).toEqual({ action: 'reject', reason: 'too_large' });
  });

  it('splits in order by count and by bytes', () => {
    const files = Array.from({ length: 12 }, (_, i) => ({ contentType: 'image/jpeg', size: 100 * KB, i }));
    expect(splitIntoMessages(defaultChannelRules.sms, files).map((group) => group.map((f) => f.i))).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [10, 11],
    ]);
    const heavy = Array.from({ length: 4 }, (_, i) => ({ contentType: 'image/jpeg', size: 2 * MB, i }));
    expect(splitIntoMessages(defaultChannelRules.sms, heavy).map((group) => group.map((f) => f.i))).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(splitIntoMessages(defaultChannelRules.whatsapp, heavy)).toHaveLength(4);
  });
});
