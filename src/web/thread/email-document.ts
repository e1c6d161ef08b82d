// The document an e-mail's sanitized HTML is shown in (an <iframe sandbox srcdoc>): a CSP
// that loads images from the app (and data:) only, remote images held back until the agent
// asks, inline images pointed at the message's attachments, and the quoted history only
// when it is unfolded. Pure string work on the server's sanitized output (docs/EMAIL.md).

export interface EmailDocumentInput {
  html: string;
  /** Shown under the new part when the agent unfolds it; null while folded. */
  quotedHtml: string | null;
  /** `message.attachments[N].url` for `<img data-attachment="N">`. */
  attachmentUrls: ReadonlyArray<string | null>;
  /** Copy `data-remote-src` to `src` (http/https only). */
  loadRemote: boolean;
  /** The app's origin, e.g. https://help.example.com: the only origin images load from. */
  appOrigin: string;
}

const IMG = /<img\b([^>]*?)\s*\/?>/gi;
const ATTACHMENT = /\sdata-attachment="(\d+)"/i;
const REMOTE = /\sdata-remote-src="([^"]*)"/i;
const SRC = /\ssrc="[^"]*"/i;
/** A transparent pixel in place of a held-back remote image: a quiet box instead of a broken one. */
const HELD = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

const decode = (value: string): string =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/gi, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const encode = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function httpUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** The remote images an HTML part holds back (their URLs, http/https only). */
export function remoteImageUrls(html: string): URL[] {
  const urls: URL[] = [];
  for (const match of html.matchAll(IMG)) {
    const remote = REMOTE.exec(match[1] ?? '');
    const url = remote ? httpUrl(decode(remote[1] ?? '')) : null;
    if (url) urls.push(url);
  }
  return urls;
}

/**
 * Sets `src` on inline images and, when the agent asked, on remote ones (a transparent
 * placeholder until then); every other image stays as it is.
 */
export function resolveImages(
  html: string,
  attachmentUrls: ReadonlyArray<string | null>,
  loadRemote: boolean,
  appOrigin: string,
): string {
  return html.replace(IMG, (whole, attributes: string) => {
    const inline = ATTACHMENT.exec(attributes);
    let src: string | null = null;
    if (inline) {
      const url = attachmentUrls[Number(inline[1])];
      if (url) src = new URL(url, appOrigin).href;
    } else {
      const remote = REMOTE.exec(attributes);
      const url = remote ? httpUrl(decode(remote[1] ?? '')) : null;
      if (url && !loadRemote) return `<img${attributes.replace(SRC, '')} src="${HELD}" data-held="">`;
      src = url?.href ?? null;
    }
    if (!src) return whole;
    return `<img${attributes.replace(SRC, '')} src="${encode(src)}">`;
  });
}

export function contentSecurityPolicy(appOrigin: string, remoteOrigins: ReadonlyArray<string>): string {
  const images = [appOrigin, 'data:', ...new Set(remoteOrigins)].join(' ');
  return `default-src 'none'; img-src ${images}; style-src 'unsafe-inline'`;
}

// Mail is written for a white page; this keeps it readable and inside the frame's width.
const BASE_STYLE = `
html { color-scheme: light; overflow-x: auto; overflow-y: hidden; }
body { margin: 0; font: 14px/1.55 'Inter Variable', Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #18181b; background: #fff; overflow-wrap: anywhere; }
#sb-root { display: flow-root; padding: 14px 16px; }
img { max-width: 100%; height: auto; }
img[data-held] { display: inline-block; box-sizing: border-box; min-width: 32px; min-height: 24px; max-height: 48px; vertical-align: middle; border: 1px dashed #cfcfd5; border-radius: 4px; background: #f7f7f8 url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='16' height='16' viewBox='0 0 24 24' fill='none' stroke='%23a3a3ad' stroke-width='1.75' stroke-linecap='round' stroke-linejoin='round'%3E%3Cpath d='M5 3h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zM8.5 10a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zM21 15l-5-5L5 21'/%3E%3C/svg%3E") center / 16px no-repeat; }
a { color: #4338ca; }
p { margin: 0 0 0.75em; }
blockquote { margin: 0.5em 0; padding-left: 12px; border-left: 3px solid #e1e1e5; color: #43434b; }
table { max-width: 100%; }
pre { white-space: pre-wrap; }
.sb-quoted { margin-top: 12px; padding-top: 12px; border-top: 1px dashed #e1e1e5; color: #5d5d67; }
`;

export function emailDocument(input: EmailDocumentInput): string {
  const parts = [input.html, input.quotedHtml];
  const remoteOrigins = input.loadRemote
    ? parts.flatMap((part) => (part ? remoteImageUrls(part).map((url) => url.origin) : []))
    : [];
  const resolve = (part: string) =>
    resolveImages(part, input.attachmentUrls, input.loadRemote, input.appOrigin);
  const quoted = input.quotedHtml ? `<div class="sb-quoted">${resolve(input.quotedHtml)}</div>` : '';
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${encode(contentSecurityPolicy(input.appOrigin, remoteOrigins))}">`,
    '<meta name="referrer" content="no-referrer">',
    '<base target="_blank">',
    `<style>${BASE_STYLE}</style>`,
    `</head><body><div id="sb-root">${resolve(input.html)}${quoted}</div></body></html>`,
  ].join('');
}
