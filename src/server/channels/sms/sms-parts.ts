// How one reply becomes Twilio messages: the text cut at 1,600 characters (on a line or word
// boundary where possible), lines for files that travel as links added to the text, and the
// media grouped at most 10 and 5 MB to a message, in order. Text and media groups are paired
// in order, so the first message carries the start of the text with the first media.
import { splitIntoMessages, type ChannelRules } from '../../../shared/channel-rules.js';

export interface SmsMediaItem {
  url: string;
  contentType: string;
  size: number;
}

export interface SmsPart {
  body: string;
  mediaUrls: string[];
}

export const MAX_BODY_CHARS = 1600;

/** Cuts text into pieces of at most `max` characters (code points), preferring line and word breaks. */
export function splitSmsText(text: string, max = MAX_BODY_CHARS): string[] {
  const chars = [...text.trim()];
  const pieces: string[] = [];
  let start = 0;
  while (chars.length - start > max) {
    let end = start + max;
    for (let i = start + max; i > start + max / 2; i--) {
      if (chars[i] === '\n' || chars[i] === ' ') {
        end = i;
        break;
      }
    }
    pieces.push(chars.slice(start, end).join('').trimEnd());
    start = end;
    while (start < chars.length && /\s/.test(chars[start] ?? '')) start++;
  }
  const last = chars.slice(start).join('');
  if (last) pieces.push(last);
  return pieces;
}

export function composeSmsParts(
  rules: ChannelRules,
  text: string,
  media: readonly SmsMediaItem[],
  /** Lines for files that travel as links, appended to the text. */
  links: readonly string[],
): SmsPart[] {
  const fullText = [text.trim(), links.join('\n')].filter(Boolean).join('\n\n');
  const bodies = splitSmsText(fullText, rules.captionMaxChars ?? MAX_BODY_CHARS);
  const groups = splitIntoMessages(rules, media);
  const count = Math.max(bodies.length, groups.length, 1);
  return Array.from({ length: count }, (_, index) => ({
    body: bodies[index] ?? '',
    mediaUrls: (groups[index] ?? []).map((item) => item.url),
  }));
}
