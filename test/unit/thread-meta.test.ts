// The thread's reading of `message.meta` and the document an e-mail body is shown in.
import { describe, expect, it } from 'vitest';
import type { Attachment } from '../../src/shared/api-schemas.js';
import {
  contentSecurityPolicy,
  emailDocument,
  remoteImageUrls,
  resolveImages,
} from '../../src/web/thread/email-document.js';
import { displayUrl } from '../../src/web/thread/message-meta.js';
import { attachmentsBelow, readMeta } from '../../src/web/thread/message-meta-read.js';

const origin = 'https://help.example.com';

function attachment(id: string, url: string | null): Attachment {
  return {
    id,
    name: `${id}.png`,
    contentType: 'image/png',
    size: 10,
    width: null,
    height: null,
    durationMs: null,
    kind: 'image',
    state: 'ready',
    stateReason: null,
    url,
    thumbnailUrl: null,
    previewUrl: null,
    messageId: 'm1',
    redacted: false,
    removal: null,
  };
}

describe('reading message.meta', () => {
  it('keeps the shapes it recognises and drops what does not match', () => {
    const view = readMeta({
      cards: [
        { kind: 'ig_reel', url: 'https://www.instagram.com/reel/C1/', title: '  Spring drop  ' },
        { kind: 'share', url: 'javascript:alert(1)' },
        { kind: 'mystery', url: 'https://example.com/x' },
        'not a card',
      ],
      unsupported: { kind: 'unsupported', reason: 'Message type unknown' },
      providerErrors: [{ code: 131051, title: 'Message type unknown', details: 'Not supported' }, { x: 1 }],
      voiceNote: true,
      sticker: { animated: true },
      storyMention: { url: 'ftp://nope' },
    });
    expect(view.cards).toEqual([
      { kind: 'ig_reel', url: 'https://www.instagram.com/reel/C1/', title: 'Spring drop' },
      { kind: 'link', url: 'https://example.com/x' },
    ]);
    expect(view.unsupported).toEqual({ kind: 'unsupported', reason: 'Message type unknown' });
    expect(view.providerErrors).toEqual([
      { code: '131051', title: 'Message type unknown', details: 'Not supported' },
    ]);
    expect(view.voiceNote).toBe(true);
    expect(view.sticker).toEqual({ animated: true });
    expect(view.storyMention).toBeNull();
    expect(view.email).toBeNull();
  });

  it('reads the e-mail part and its notes', () => {
    const view = readMeta({
      email: {
        html: '<p>Hi</p>',
        quotedHtml: null,
        quotedText: '  ',
        remoteImagesBlocked: 2,
        inline: [0, 'x', -1],
        notes: ['winmail.dat was kept as a file.', 3],
      },
    });
    expect(view.email).toEqual({
      html: '<p>Hi</p>',
      quotedHtml: null,
      quotedText: null,
      remoteImagesBlocked: 2,
      inline: [0],
      notes: ['winmail.dat was kept as a file.'],
    });
  });

  it('lists below the message neither the images the e-mail shows inline nor the story it draws', () => {
    const inline = attachment('inline', '/api/attachments/inline/content');
    const pdf = attachment('pdf', '/api/attachments/pdf/content');
    const email = { email: { html: '<img data-attachment="0">', inline: [0] } };
    expect(attachmentsBelow({ attachments: [inline, pdf], meta: email })).toEqual([pdf]);
    // A text-only e-mail shows nothing inline: every file stays listed.
    expect(attachmentsBelow({ attachments: [inline, pdf], meta: { email: { inline: [0] } } })).toEqual([
      inline,
      pdf,
    ]);
    const story = attachment('story', 'https://cdn.example.com/story.jpg');
    expect(attachmentsBelow({ attachments: [story], meta: { storyMention: { url: story.url } } })).toEqual(
      [],
    );
  });

  it('shows a link as host and path', () => {
    expect(displayUrl('https://www.instagram.com/p/Cx12/')).toBe('instagram.com/p/Cx12');
    expect(displayUrl('https://maps.example.com/')).toBe('maps.example.com');
  });
});

describe('the e-mail document', () => {
  const html =
    '<p>See <img alt="chart" data-attachment="1"> and ' +
    '<img data-remote-src="https://track.example.net/p.gif?a=1&amp;b=2" width="1"></p>';

  it('points inline images at the attachments and holds remote ones back', () => {
    const resolved = resolveImages(html, [null, '/api/attachments/a2/content'], false, origin);
    expect(resolved).toContain(
      '<img alt="chart" data-attachment="1" src="https://help.example.com/api/attachments/a2/content">',
    );
    expect(resolved).not.toMatch(/\ssrc="https:\/\/track/);
    expect(resolved).toMatch(
      /data-remote-src="[^"]*" width="1" src="data:image\/gif;base64,[^"]+" data-held="">/,
    );
    const loaded = resolveImages(html, [], true, origin);
    expect(loaded).toContain('src="https://track.example.net/p.gif?a=1&amp;b=2"');
  });

  it('never loads a remote image that is not http or https', () => {
    const odd = '<img data-remote-src="javascript:alert(1)">';
    expect(remoteImageUrls(odd)).toEqual([]);
    expect(resolveImages(odd, [], true, origin)).toBe(odd);
  });

  it('allows images from the app only, and from the remote hosts once the agent asks', () => {
    expect(contentSecurityPolicy(origin, [])).toBe(
      `default-src 'none'; img-src ${origin} data:; style-src 'unsafe-inline'`,
    );
    const folded = emailDocument({
      html,
      quotedHtml: null,
      attachmentUrls: [],
      loadRemote: false,
      appOrigin: origin,
    });
    expect(folded).toContain(`img-src ${origin} data:;`);
    expect(folded).not.toContain('<div class="sb-quoted">');
    const open = emailDocument({
      html,
      quotedHtml: '<blockquote>Earlier</blockquote>',
      attachmentUrls: [],
      loadRemote: true,
      appOrigin: origin,
    });
    expect(open).toContain(`img-src ${origin} data: https://track.example.net;`);
    expect(open).toContain('<div class="sb-quoted"><blockquote>Earlier</blockquote></div>');
  });
});
