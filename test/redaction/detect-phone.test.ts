import { describe, expect, it } from 'vitest';
import { detectPhones } from '../../src/server/media/redaction/detectors/phone.js';
import { gridBox, wordsFromLines } from './words.js';

const phonesIn = (line: string) => detectPhones(wordsFromLines([line])).map((finding) => finding.text);

describe('phone detector', () => {
  it.each([
    ['call +55 11 91234-5678 today', '+55 11 91234-5678'],
    ['meu número (11) 91234-5678', '(11) 91234-5678'],
    ['US office +1 415-555-2671', '+1 415-555-2671'],
    ['London +44 20 7946 0958', '+44 20 7946 0958'],
    ['Berlin +49 30 901820', '+49 30 901820'],
    ['ring me on (415) 555-2671 pls', '(415) 555-2671'],
  ])('finds the number in %j', (line, expected) => {
    expect(phonesIn(line)).toEqual([expected]);
  });

  it.each([
    'order #123456789 shipped',
    'Pedido nº 4155552671 confirmado',
    'tracking 4155552671',
    'delivered on 2024-05-01',
    'total R$ 1.234,56',
    'paid $4155552671',
    'at 10:30 and 11:45',
    'between 2024-05-01 and 2024-06-01',
  ])('finds nothing in %j', (line) => {
    expect(phonesIn(line)).toEqual([]);
  });

  it('boxes the words the number spans', () => {
    const [finding] = detectPhones(wordsFromLines(['call +55 11 91234-5678 today']));
    expect(finding?.kind).toBe('phone');
    expect(finding?.box).toEqual(gridBox(0, 5, 22));
  });

  it('uses the default countries it is given', () => {
    const words = wordsFromLines(['(11) 91234-5678']);
    expect(detectPhones(words, { defaultCountries: ['US'] })).toEqual([]);
    expect(detectPhones(words, { defaultCountries: ['BR'] })).toHaveLength(1);
  });
});
