// Customer HTML, made safe to show inside the agent app: no scripts, handlers, forms, frames
// or styles that fetch anything; remote images held back until the agent asks; `cid:` images
// pointed at the message's own attachments. The result is plain data for a sandboxed frame:
//
//   <img data-attachment="N">        → message.attachments[N] (by position): set src to its url
//   <img data-remote-src="https://…"> → a remote image; set src from it only when the agent asks
import sanitizeHtml from 'sanitize-html';

export interface ImageTarget {
  /** Position of the attachment among the message's attachments. */
  position: number;
  name: string;
}

export interface SanitizedHtml {
  html: string;
  remoteImagesBlocked: number;
  /** Positions of attachments the HTML shows inline. */
  shownInline: Set<number>;
}

/** Resolves an image reference (`cid:…`, or a bare name matching Content-Location) to an attachment. */
export type ImageResolver = (reference: string) => ImageTarget | undefined;

// A CSS value that can load nothing and run nothing.
const SAFE_CSS = /^(?!.*(?:url\s*\(|expression\s*\(|javascript:|@import|behavior\s*:|-moz-binding))[^<>]*$/i;

const STYLE_PROPERTIES = [
  'color',
  'background-color',
  'font',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'text-align',
  'text-decoration',
  'text-indent',
  'text-transform',
  'line-height',
  'letter-spacing',
  'white-space',
  'vertical-align',
  'direction',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'border-color',
  'border-style',
  'border-width',
  'border-collapse',
  'border-spacing',
  'border-radius',
  'width',
  'height',
  'max-width',
  'min-width',
  'display',
  'list-style-type',
];

const QUOTE_CLASSES = [
  'gmail_quote',
  'gmail_quote_container',
  'gmail_attr',
  'yahoo_quoted',
  'moz-cite-prefix',
  'protonmail_quote',
  'zmail_extra',
];

const REMOTE = /^https?:\/\//i;
const DATA_IMAGE = /^data:image\/(?:png|jpe?g|gif|webp);base64,[a-z0-9+/=\s]+$/i;

export function sanitizeEmailHtml(raw: string, resolve: ImageResolver): SanitizedHtml {
  let remoteImagesBlocked = 0;
  const shownInline = new Set<number>();
  const html = sanitizeHtml(raw, {
    allowedTags: [
      ...sanitizeHtml.defaults.allowedTags,
      'img',
      'span',
      'font',
      'center',
      'u',
      's',
      'strike',
      'del',
      'ins',
      'hr',
      'col',
      'colgroup',
      'big',
      'small',
      'sub',
      'sup',
    ],
    disallowedTagsMode: 'discard',
    allowedAttributes: {
      a: ['href', 'name', 'title', 'target', 'rel'],
      img: ['alt', 'title', 'width', 'height', 'data-attachment', 'data-remote-src', 'src'],
      font: ['color', 'face', 'size'],
      table: ['border', 'cellpadding', 'cellspacing', 'width', 'align', 'bgcolor'],
      td: ['colspan', 'rowspan', 'width', 'height', 'align', 'valign', 'bgcolor', 'nowrap'],
      th: ['colspan', 'rowspan', 'width', 'height', 'align', 'valign', 'bgcolor', 'nowrap'],
      tr: ['align', 'valign', 'bgcolor'],
      col: ['span', 'width'],
      colgroup: ['span', 'width'],
      ol: ['start', 'type'],
      blockquote: ['type', 'cite'],
      div: [{ name: 'id', multiple: false, values: ['divRplyFwdMsg', 'appendonsend'] }],
      '*': ['style', 'align', 'dir', 'lang', 'class'],
    },
    allowedClasses: { '*': QUOTE_CLASSES },
    allowedStyles: { '*': Object.fromEntries(STYLE_PROPERTIES.map((name) => [name, [SAFE_CSS]])) },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['data'] },
    allowProtocolRelative: false,
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' },
      }),
      img: (tagName, attribs) => {
        const src = (attribs.src ?? '').trim();
        const { src: _dropped, ...rest } = attribs;
        void _dropped;
        const kept: Record<string, string> = {};
        for (const name of ['alt', 'title', 'width', 'height']) if (rest[name]) kept[name] = rest[name];
        if (REMOTE.test(src)) {
          remoteImagesBlocked += 1;
          return { tagName, attribs: { ...kept, 'data-remote-src': src } };
        }
        if (DATA_IMAGE.test(src)) return { tagName, attribs: { ...kept, src } };
        const target = src ? resolve(src) : undefined;
        if (target) {
          shownInline.add(target.position);
          return {
            tagName,
            attribs: { alt: target.name, ...kept, 'data-attachment': String(target.position) },
          };
        }
        return { tagName, attribs: kept };
      },
    },
    // `exclusiveFilter` drops <img> that point nowhere, so a blocked or broken image leaves no box.
    exclusiveFilter: (frame) =>
      frame.tag === 'img' &&
      !frame.attribs['data-attachment'] &&
      !frame.attribs['data-remote-src'] &&
      !frame.attribs.src,
  });
  return { html, remoteImagesBlocked, shownInline };
}

/** A small HTML view of plain text (for messages that carry text only), links left as text. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return escaped
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}
