// Splits a reply longer than a provider accepts into several messages, at paragraph, line or
// word boundaries where it can, never inside a character.

export interface TextLimit {
  max: number;
  unit: 'chars' | 'utf8-bytes';
}

const sizeOf = (text: string, unit: TextLimit['unit']): number =>
  unit === 'chars' ? [...text].length : Buffer.byteLength(text, 'utf8');

/** The longest prefix of `text` (whole code points) within the limit. */
function fittingPrefix(text: string, limit: TextLimit): string {
  let out = '';
  let size = 0;
  for (const char of text) {
    const next = sizeOf(char, limit.unit);
    if (size + next > limit.max) break;
    out += char;
    size += next;
  }
  return out;
}

export function splitText(text: string, limit: TextLimit | undefined): string[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (!limit || sizeOf(trimmed, limit.unit) <= limit.max) return [trimmed];
  const parts: string[] = [];
  let rest = trimmed;
  while (rest && sizeOf(rest, limit.unit) > limit.max) {
    const prefix = fittingPrefix(rest, limit) || ([...rest][0] as string);
    const floor = Math.floor(prefix.length / 2);
    const cut = [prefix.lastIndexOf('\n\n'), prefix.lastIndexOf('\n'), prefix.lastIndexOf(' ')].find(
      (index) => index >= floor,
    );
    const end = cut !== undefined && cut > 0 ? cut : prefix.length;
    parts.push(rest.slice(0, end).trimEnd());
    rest = rest.slice(end).trimStart();
  }
  if (rest) parts.push(rest);
  return parts.filter((part) => part.length > 0);
}
