// The e-mail channel's pure pieces: quote splitting, HTML sanitizing, reply tokens, the
// attachment budget, nested secret fields and SMTP failure mapping.
import { describe, expect, it } from 'vitest';
import { defaultChannelRules, planMessageBudget } from '../../src/shared/channel-rules.js';
import { mergeSecrets, splitSecrets } from '../../src/server/domain/channels.js';
import { sanitizeEmailHtml } from '../../src/server/channels/email/sanitize-email-html.js';
import { smtpFailure } from '../../src/server/channels/email/smtp-errors.js';
import { splitHtmlQuote, splitTextQuote } from '../../src/server/channels/email/split-quote.js';
import {
  replyAddress,
  replyToken,
  subjectTicketNumber,
  tokenIn,
} from '../../src/server/channels/email/threading.js';
import { isOurAddress } from '../../src/server/channels/email/smtp-listener.js';

describe('quote splitting', () => {
  it('splits text at an attribution line, an Outlook header or trailing "> " lines', () => {
    expect(splitTextQuote('Thanks!\n\nOn Mon, 4 Mar 2024, Acme <a@b> wrote:\n> old')).toEqual({
      body: 'Thanks!',
      quoted: 'On Mon, 4 Mar 2024, Acme <a@b> wrote:\n> old',
    });
    expect(splitTextQuote('Yes\n-----Original Message-----\nFrom: x').body).toBe('Yes');
    expect(splitTextQuote('Fine\n\n> a\n> b\n').body).toBe('Fine');
    expect(splitTextQuote('No quote here\nFrom: me, with love')).toEqual({
      body: 'No quote here\nFrom: me, with love',
      quoted: null,
    });
  });

  it('splits HTML at Gmail, Outlook and Apple Mail markers, and keeps a message that is all quote', () => {
    const gmail = splitHtmlQuote('<div>new</div><div class="gmail_quote">old</div><p>tail</p>');
    expect(gmail).toEqual({
      body: '<div>new</div>',
      quoted: '<div class="gmail_quote">old</div><p>tail</p>',
    });
    expect(splitHtmlQuote('<div><p>hi</p><div id="divRplyFwdMsg">From</div>x</div>').body).toBe(
      '<div><p>hi</p></div>',
    );
    expect(splitHtmlQuote('<p>ok</p><blockquote type="cite">old</blockquote>').quoted).toContain('old');
    expect(splitHtmlQuote('<blockquote type="cite">only old</blockquote>').quoted).toBeNull();
  });
});

describe('HTML sanitizing', () => {
  it('drops scripts, handlers, javascript: links and CSS that loads things; holds back remote images', () => {
    const result = sanitizeEmailHtml(
      '<p onclick="x()" style="color:red;background:url(https://t/x)">hi<script>1</script></p><a href="javascript:1">j</a><img src="https://t/p.gif"><img src="cid:a@b"><style>p{}</style><iframe src="x"></iframe>',
      (ref) => (ref === 'cid:a@b' ? { position: 2, name: 'a.png' } : undefined),
    );
    expect(result.html).not.toMatch(/script|onclick|javascript|url\(|iframe|<style/);
    expect(result.html).toContain('color:red');
    expect(result.html).toContain('data-remote-src="https://t/p.gif"');
    expect(result.html).toContain('data-attachment="2"');
    expect(result.remoteImagesBlocked).toBe(1);
    expect([...result.shownInline]).toEqual([2]);
  });
});

describe('reply tokens', () => {
  it('round-trip through the address, and only for our own local part and domain', () => {
    const token = replyToken('k'.repeat(40), 'channel-1', { id: 'ticket-1', number: 42 });
    const address = replyAddress('support@acme.test', token);
    expect(address).toMatch(/^support\+42-[0-9a-f]{20}@acme\.test$/);
    expect(tokenIn('support@acme.test', address.toUpperCase())).toEqual({
      number: 42,
      mac: token.split('-')[1],
    });
    expect(tokenIn('support@acme.test', address.replace('acme.test', 'evil.test'))).toBeNull();
    expect(replyToken('k'.repeat(40), 'channel-2', { id: 'ticket-1', number: 42 })).not.toBe(token);
    expect(subjectTicketNumber('Re: lamp [#123]')).toBe(123);
    expect(isOurAddress('support@acme.test', 'Support+x@ACME.test')).toBe(true);
    expect(isOurAddress('support@acme.test', 'supportx@acme.test')).toBe(false);
  });
});

describe('attachment budget', () => {
  it('attaches in order within the budget and links the rest', () => {
    const files = [
      { size: 10, contentType: 'a' },
      { size: 50, contentType: 'b' },
      { size: 30, contentType: 'c' },
    ];
    const plan = planMessageBudget(defaultChannelRules.email, files, 45);
    expect(plan.attached.map((f) => f.contentType)).toEqual(['a', 'c']);
    expect(plan.linked.map((f) => f.contentType)).toEqual(['b']);
  });
});

describe('nested secret fields', () => {
  it('split out of and merged back into the configuration', () => {
    const all = { address: 'a@b', smtp: { host: 'h', pass: 'p' }, imap: { user: 'u', pass: 'q' }, key: 'k' };
    const { config, secrets } = splitSecrets(all, ['smtp.pass', 'imap.pass', 'inbound.webhookSecret', 'key']);
    expect(config).toEqual({ address: 'a@b', smtp: { host: 'h' }, imap: { user: 'u' } });
    expect(secrets).toEqual({ smtp: { pass: 'p' }, imap: { pass: 'q' }, key: 'k' });
    expect(mergeSecrets(config, secrets)).toEqual(all);
  });
});

describe('SMTP failures', () => {
  it('permanent, retried, and sign-in refusals', () => {
    expect(smtpFailure({ responseCode: 550, response: '550 no' })).toMatchObject({
      providerCode: 'smtp_550',
      retryable: false,
    });
    expect(smtpFailure({ responseCode: 451, response: '451 later' })).toMatchObject({ retryable: true });
    expect(smtpFailure({ code: 'ECONNECTION', message: 'refused' })).toMatchObject({
      providerCode: 'smtp_unreachable',
      retryable: true,
    });
    expect(smtpFailure({ code: 'EAUTH', response: '535 bad' }).health?.health).toBe('needs_attention');
  });
});
