// Separates what the customer wrote from the history their mail client quoted below it, so
// the thread shows the new words and folds the rest. Nothing is dropped: the two halves put
// together are the whole message.
import render from 'dom-serializer';
import { isTag, type ChildNode, type Element } from 'domhandler';
import { textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';

export interface Split {
  body: string;
  quoted: string | null;
}

const QUOTE_CLASSES = [
  'gmail_quote',
  'gmail_quote_container',
  'yahoo_quoted',
  'moz-cite-prefix',
  'protonmail_quote',
];
const QUOTE_IDS = ['divRplyFwdMsg', 'appendonsend'];
const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale)\s*-{2,}/i;

function isQuoteStart(node: Element): boolean {
  const classes = (node.attribs.class ?? '').split(/\s+/);
  if (classes.some((name) => QUOTE_CLASSES.includes(name))) return true;
  if (node.attribs.id && QUOTE_IDS.includes(node.attribs.id)) return true;
  if (node.name === 'blockquote' && node.attribs.type === 'cite') return true;
  if ((node.name === 'div' || node.name === 'p') && ORIGINAL_MESSAGE.test(textContent(node).slice(0, 200)))
    return true;
  return false;
}

function findQuote(nodes: ChildNode[]): Element | null {
  for (const node of nodes) {
    if (!isTag(node)) continue;
    if (isQuoteStart(node)) return node;
    const inner = findQuote(node.children);
    if (inner) return inner;
  }
  return null;
}

/** Splits sanitized HTML at the first quoted-history marker (Gmail, Outlook, Apple Mail, Thunderbird, Yahoo). */
export function splitHtmlQuote(html: string): Split {
  const document = parseDocument(html);
  const start = findQuote(document.children);
  if (!start) return { body: html, quoted: null };
  // The quote is the marker and everything after it in document order: its later siblings,
  // then the later siblings of each ancestor.
  const quoted: ChildNode[] = [];
  let node: ChildNode = start;
  let first = true;
  while (node.parent) {
    const siblings = node.parent.children;
    quoted.push(...siblings.splice(siblings.indexOf(node) + (first ? 0 : 1)));
    first = false;
    if (node.parent === document) break;
    node = node.parent as ChildNode;
  }
  const body = render(document.children);
  const rest = render(quoted);
  if (!textContent(document).trim() && !/<img\b/i.test(body)) return { body: html, quoted: null };
  return { body, quoted: rest.trim() ? rest : null };
}

const TEXT_HEADERS = [
  /^-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
  /^on\s.{1,200}\swrote:\s*$/i,
  /^le\s.{1,200}\sa écrit\s?:\s*$/i,
  /^am\s.{1,200}\sschrieb\s.{0,100}:\s*$/i,
  /^el\s.{1,200}\sescribió:\s*$/i,
  /^from:\s.+$/i,
];

/** Splits plain text at an attribution line ("On … wrote:", "-----Original Message-----") or a trailing block of "> " lines. */
export function splitTextQuote(text: string): Split {
  const lines = text.split('\n');
  const isQuoted = (line: string) => /^\s*>/.test(line);
  for (let index = 1; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    // "On Mon, 1 Jan 2024 at 10:00, Someone <x@y>" is often wrapped onto two lines.
    const joined = `${line} ${(lines[index + 1] ?? '').trim()}`;
    const header = TEXT_HEADERS.findIndex((pattern) => pattern.test(line) || pattern.test(joined));
    if (header === -1) continue;
    const rest = lines.slice(index + 1);
    const follows =
      header <= 1 ||
      rest.some(isQuoted) ||
      (header === 6 && rest.slice(0, 6).some((l) => /^(sent|date|to|subject):/i.test(l.trim())));
    if (!follows) continue;
    return { body: lines.slice(0, index).join('\n').trimEnd(), quoted: lines.slice(index).join('\n') };
  }
  let start = lines.length;
  while (start > 0 && (isQuoted(lines[start - 1] as string) || !(lines[start - 1] as string).trim()))
    start -= 1;
  if (start < lines.length && start > 0 && lines.slice(start).some(isQuoted)) {
    return { body: lines.slice(0, start).join('\n').trimEnd(), quoted: lines.slice(start).join('\n').trim() };
  }
  return { body: text, quoted: null };
}
