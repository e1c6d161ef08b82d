// Personal names where a rule can tell: after a label or greeting ("Name:", "Nome:", "Dear",
// "Olá", "Hi", "Customer:", "Cliente:"), or a capitalised pair beside an e-mail address or a
// phone number (or their labels).
import type { LineText, Match, TextIndex } from '../text-index.js';
import type { Finding, OcrWord } from '../types.js';
import { findEmails } from './email.js';
import { lineAbove } from './layout.js';
import { findPhones } from './phone.js';
import { runDetector } from './shared.js';

const labelWords = String.raw`(?:full name|name|nome completo|nome|customer|cliente|recipient|destinat[áa]rio|contact|contato|cardholder|card holder|titular|ship to|bill to|deliver to|sold to|entregar para|attn|a\/c|from|de|para|to|sender|remetente|passenger|passageiro|guest|h[óo]spede|patient|paciente|user|usu[áa]rio|beneficiary|benefici[áa]rio|favorecido|account holder|titular da conta|payee)`;
const labelThenValue = new RegExp(String.raw`(?:^|[\s(])${labelWords}\s*:\s*`, 'gi');
const greeting =
  /(?:^|[\s,.!])(?:dear|hi|hello|hey|ol[áaàâãäéè&]|oi|prezad[oa]|car[oa]|bom dia|boa tarde|boa noite|good morning|good afternoon|good evening)[\s,]+/gi;
/**
 * "Olá" as an English model reads it at the start of a message ("Ol", "Old", "Ol4"); counted
 * only when the name is followed by a comma, as greetings are ("Old Juliana, tudo bem?").
 */
const misreadGreeting = /^ol\S?[\s,]+/gi;
/** A line that is only a label, its value on the line below. */
const labelAlone = new RegExp(
  String.raw`^(?:${labelWords}|(?:shipping|delivery|billing|mailing) address|endere[çc]o de (?:entrega|cobran[çc]a)|dados do cliente|customer (?:details|information))\s*:?$`,
  'i',
);
const contactLabel =
  /\b(?:e-?mail|phone|tel|telefone|celular|cel|mobile|whatsapp|fone|contact|contato)\b\s*:?/i;

const connectors = new Set([
  'da',
  'de',
  'do',
  'das',
  'dos',
  'e',
  'van',
  'von',
  'der',
  'del',
  'di',
  'la',
  'le',
  'du',
  'bin',
  'al',
]);
const notNames = new Set(
  `team there all everyone everybody support customer customers client service services sir madam
  friend friends guys folks world equipe pessoal todos suporte atendimento cliente senhor senhora
  order orders pedido details detalhes contact contato email e-mail phone telefone address endereço
  shipping billing payment total subtotal account conta settings message messages today yesterday
  hoje ontem online offline thanks thank you obrigado obrigada please por favor sent delivered read
  monday tuesday wednesday thursday friday saturday sunday segunda terça quarta quinta sexta sábado
  domingo january february march april may june july august september october november december
  janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro
  the a an my our your meu minha nosso nossa seu sua new novo nova name nome number número
  card cartão visa mastercard amex iban bank banco street rua avenida avenue store loja help ajuda
  info information informação receipt recibo invoice fatura status track tracking delivery entrega
  mr mrs ms dr sra sr`
    .split(/\s+/)
    .filter(Boolean),
);

const isNameWord = (word: string): boolean =>
  /^[A-ZÀ-Ý][a-zà-ÿ'’-]+$|^[A-ZÀ-Ý]['’]?[A-ZÀ-Ý'’-]+$/.test(word) && !notNames.has(word.toLowerCase());

/** Strips punctuation that sticks to a word ("Silva," → "Silva"). */
const bare = (word: string): string => word.replace(/^[("'“]+|[)"'”,.;:!?]+$/g, '');

/**
 * Name words from span position `from` of a line: 1–4 capitalised words, with connectors
 * (da, de, dos, van…) allowed between them. Returns the span positions taken.
 */
function nameFrom(index: TextIndex, line: LineText, from: number, minWords: number): number[] {
  const taken: number[] = [];
  let nameWords = 0;
  for (let position = from; position < line.spans.length && nameWords < 4; position += 1) {
    const span = line.spans[position];
    const raw = span ? (index.words[span.word]?.text ?? '') : '';
    const word = bare(raw);
    if (isNameWord(word)) {
      taken.push(position);
      nameWords += 1;
    } else if (connectors.has(word) && nameWords > 0) {
      taken.push(position);
    } else break;
    if (raw !== word && /[,.;:!?)]$/.test(raw)) break;
  }
  while (taken.length > 0 && connectors.has(bare(wordAt(index, line, taken.at(-1) ?? 0)))) taken.pop();
  return nameWords >= minWords ? taken : [];
}

const wordAt = (index: TextIndex, line: LineText, position: number): string => {
  const span = line.spans[position];
  return span ? (index.words[span.word]?.text ?? '') : '';
};

/** Span position of the first word starting at or after a character offset. */
const positionAt = (line: LineText, offset: number): number => {
  const position = line.spans.findIndex((span) => span.end > offset);
  return position === -1 ? line.spans.length : position;
};

function toMatch(index: TextIndex, line: LineText, positions: number[]): Match {
  const words = positions.flatMap((position) => (line.spans[position] ? [line.spans[position].word] : []));
  const text = words.map((word) => bare(index.words[word]?.text ?? '')).join(' ');
  return { kind: 'name', text, words };
}

function afterLabels(index: TextIndex, line: LineText): Match[] {
  const matches: Match[] = [];
  for (const [pattern, needsComma] of [
    [labelThenValue, false],
    [greeting, false],
    [misreadGreeting, true],
  ] as const) {
    for (const found of line.text.matchAll(pattern)) {
      const end = found.index + found[0].length;
      let position = positionAt(line, end);
      const span = line.spans[position];
      // A label glued to its value ("Nome:Maria") puts the value in the label's word.
      if (span && span.start < end) {
        const rest = bare(line.text.slice(end, span.end));
        if (isNameWord(rest) && !needsComma) {
          const more = nameFrom(index, line, position + 1, 0);
          matches.push(toMatch(index, line, [position, ...more]));
          continue;
        }
        position += 1;
      }
      const taken = nameFrom(index, line, position, 1);
      if (taken.length === 0) continue;
      if (needsComma && !wordAt(index, line, taken.at(-1) ?? 0).endsWith(',')) continue;
      matches.push(toMatch(index, line, taken));
    }
  }
  return matches;
}

function labelOnLineAbove(index: TextIndex, line: LineText): Match[] {
  const above = lineAbove(index, line);
  if (!above || !labelAlone.test(above.text.trim())) return [];
  const taken = nameFrom(index, line, 0, 2);
  return taken.length > 0 && taken.length === line.spans.length ? [toMatch(index, line, taken)] : [];
}

/** A capitalised pair just before a contact on the same line, or alone on the line above it. */
function besideContacts(index: TextIndex, contactLines: Map<LineText, number>): Match[] {
  const matches: Match[] = [];
  for (const [line, contactStart] of contactLines) {
    const before = positionAt(line, contactStart);
    for (let from = Math.max(0, before - 5); from < before; from += 1) {
      const taken = nameFrom(index, line, from, 2);
      if (taken.length > 0 && (taken.at(-1) ?? 0) >= before - 2) {
        matches.push(toMatch(index, line, taken));
        break;
      }
    }
    const above = lineAbove(index, line);
    if (above && !contactLines.has(above)) {
      const taken = nameFrom(index, above, 0, 2);
      if (taken.length > 0 && taken.length === above.spans.length) matches.push(toMatch(index, above, taken));
    }
  }
  return matches;
}

export function findNames(index: TextIndex, contacts: readonly Match[] = []): Match[] {
  const contactLines = new Map<LineText, number>();
  const lineOfWord = new Map<number, LineText>();
  for (const line of index.lines) for (const span of line.spans) lineOfWord.set(span.word, line);
  for (const contact of contacts) {
    const line = contact.words[0] === undefined ? undefined : lineOfWord.get(contact.words[0]);
    const span = line?.spans.find((s) => s.word === contact.words[0]);
    if (line && span && !contactLines.has(line)) contactLines.set(line, span.start);
  }
  for (const line of index.lines) {
    const label = contactLabel.exec(line.text);
    if (label && !contactLines.has(line)) contactLines.set(line, label.index);
  }
  const matches = [
    ...index.lines.flatMap((line) => [...afterLabels(index, line), ...labelOnLineAbove(index, line)]),
    ...besideContacts(index, contactLines),
  ];
  const seen = new Set<string>();
  return matches.filter((match) => {
    const key = match.words.join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const detectNames = (words: readonly OcrWord[]): Finding[] =>
  runDetector((index) => findNames(index, [...findEmails(index), ...findPhones(index)]), words);
