// The composer's hints use the channel's own limits and the same plan as the server: three
// 8 MB PDFs on e-mail are two attachments and one secure link (not "two messages"), and a
// photo over an SMS channel's own MMS budget is compressed, not "sent as is".
import { describe, expect, it } from 'vitest';
import { emailLimitsOf } from '../../src/server/channels/email/email-config.js';
import { smsConfigSchema, smsLimitsOf } from '../../src/server/channels/sms/sms-config.js';
import { smsRules } from '../../src/server/channels/sms/sms-send.js';
import { attachmentBudgetOf, planReply } from '../../src/shared/channel-plan.js';
import { decideAttachment, defaultChannelRules, planMessageBudget } from '../../src/shared/channel-rules.js';
import { composerHints } from '../../src/web/composer/channel-hints.js';
import en from '../../src/web/i18n/catalogs/en.js';
import ptBR from '../../src/web/i18n/catalogs/pt-BR.js';
import { createI18n } from '../../src/web/i18n/i18n.js';

const MB = 1024 * 1024;
const i18n = createI18n(en);
const pdfs = ['a', 'b', 'c'].map((id) => ({ id, contentType: 'application/pdf', size: 8 * MB }));

describe('e-mail hints with the attachment budget', () => {
  it('attaches two 8 MB PDFs and sends the third as a secure link, in one message', () => {
    const hints = composerHints(i18n, 'email', pdfs, 'Your invoices', {}, {});
    expect(hints.files.get('a')).toMatchObject({ tone: 'neutral', decision: { action: 'send' } });
    expect(hints.files.get('b')).toMatchObject({ tone: 'neutral', decision: { action: 'send' } });
    expect(hints.files.get('c')).toMatchObject({
      tone: 'warning',
      overBudget: true,
      text: en.messages['hint.linkBudget'],
    });
    expect(hints.blocked).toBe(false);
    expect(hints.notes.map((note) => note.text)).toEqual([
      'Files are attached up to 18 MB in all; 1 more goes as a secure link.',
    ]);
    expect(hints.notes.some((note) => note.text.includes('messages'))).toBe(false);
  });

  it('follows the channel’s own budget', () => {
    const limits = emailLimitsOf({ attachmentBudgetMb: 10 });
    expect(limits).toEqual({ attachmentBudgetBytes: 10 * MB });
    const hints = composerHints(i18n, 'email', pdfs, '', {}, limits);
    expect([...hints.files.values()].map((hint) => hint.overBudget === true)).toEqual([false, true, true]);
    expect(hints.notes.map((note) => note.text)).toEqual([
      'Files are attached up to 10 MB in all; 2 more go as secure links.',
    ]);
    const pt = composerHints(createI18n(ptBR), 'email', pdfs, '', {}, limits);
    expect(pt.files.get('c')?.text).toBe(ptBR.messages['hint.linkBudget']);
  });

  it('plans exactly what the server attaches and links, for the same files and configuration', () => {
    for (const config of [
      {},
      { attachmentBudgetMb: 10 },
      { attachmentBudgetMb: 20 },
      { attachmentBudgetMb: 0.5 },
    ]) {
      const limits = emailLimitsOf(config);
      const rules = defaultChannelRules.email;
      // The server: files the rules let through, then the budget over them (send-email.ts).
      const sendable = pdfs.filter((file) => decideAttachment(rules, file).action === 'send');
      const server = planMessageBudget(rules, sendable, attachmentBudgetOf(rules, limits));
      const composer = composerHints(i18n, 'email', pdfs, '', {}, limits);
      const hintedLinks = pdfs.filter((file) => composer.files.get(file.id)?.overBudget === true);
      expect(hintedLinks.map((file) => file.id)).toEqual(server.linked.map((file) => file.id));
      expect(
        planReply(rules, limits, pdfs)
          .groups.flat()
          .map((file) => file.id),
      ).toEqual(server.attached.map((file) => file.id));
    }
  });

  it('still says "too large" for a single file over what e-mail carries at all', () => {
    const hints = composerHints(i18n, 'email', [{ id: 'v', contentType: 'video/mp4', size: 30 * MB }], '');
    expect(hints.files.get('v')).toMatchObject({ decision: { action: 'link', reason: 'too_large' } });
    expect(hints.notes).toEqual([]);
  });
});

describe('SMS hints with the MMS image budget', () => {
  const photo = { id: 'p', contentType: 'image/jpeg', size: 500 * 1024 };

  it('compresses a 500 KB photo on a 300 KB channel, as the server does', () => {
    const limits = smsLimitsOf({ mmsImageKb: 300 });
    expect(limits).toEqual({ mmsImageBytes: 300 * 1024 });
    const hints = composerHints(i18n, 'sms', [photo], 'Here', {}, limits);
    expect(hints.files.get('p')).toMatchObject({
      tone: 'info',
      decision: { action: 'fit', to: 'image/jpeg', maxBytes: 300 * 1024 },
      text: 'Compressed to about 300 kB',
    });
    const config = smsConfigSchema.parse({
      accountSid: `AC${'0'.repeat(32)}`,
      authToken: 'an-auth-token',
      from: '+15005550006',
      mmsImageKb: 300,
    });
    const server = smsRules(defaultChannelRules.sms, config);
    expect(hints.files.get('p')?.decision).toEqual(decideAttachment(server, photo));
  });

  it('sends the same photo as is on a channel with the default 600 KB budget', () => {
    const hints = composerHints(i18n, 'sms', [photo], 'Here', {}, smsLimitsOf({}));
    expect(hints.files.get('p')?.decision).toEqual({ action: 'send' });
  });
});
