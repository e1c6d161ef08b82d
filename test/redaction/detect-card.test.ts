import { describe, expect, it } from 'vitest';
import { detectCards } from '../../src/server/media/redaction/detectors/card.js';
import { passesLuhn } from '../../src/server/media/redaction/detectors/luhn.js';
import { gridBox, wordsFromLines } from './words.js';

const cardsIn = (line: string) => detectCards(wordsFromLines([line])).map((finding) => finding.text);

describe('Luhn', () => {
  it.each([
    '4111111111111111',
    '4012888888881881',
    '5555555555554444',
    '5105105105105100',
    '378282246310005',
    '371449635398431',
    '6011111111111117',
    '4222222222222',
  ])('accepts the test number %s', (digits) => expect(passesLuhn(digits)).toBe(true));
  it.each(['4111111111111112', '5555555555554445', '378282246310006', '6011111111111118', '41x1'])(
    'rejects %s',
    (digits) => expect(passesLuhn(digits)).toBe(false),
  );
});

describe('card detector', () => {
  it.each([
    ['Card 4111 1111 1111 1111 exp 05/27', '4111 1111 1111 1111'],
    ['visa 4111-1111-1111-1111', '4111-1111-1111-1111'],
    ['mc 5555555555554444', '5555555555554444'],
    ['Amex 3782 822463 10005 thanks', '3782 822463 10005'],
    ['card:4012888888881881', '4012888888881881'],
    ['Card 41111111 1111 1111 (a space lost by OCR)', '41111111 1111 1111'],
  ])('finds the card in %j', (line, expected) => {
    expect(cardsIn(line)).toEqual([expected]);
  });

  it.each([
    'Card 4111 1111 1111 1112',
    'mc 5555 5555 5555 4445',
    'order #4111111111111111',
    'tracking 5555555555554444',
    'Total 1234 5678 9012 3456',
    'phone +55 11 91234-5678',
    '**** **** **** 1111',
    'Order 304-3043060-4434863', // 3043060 4434863 passes Luhn, but is grouped like an order number
    'ref 12-4111-1111-1111-1111',
  ])('finds nothing in %j', (line) => {
    expect(cardsIn(line)).toEqual([]);
  });

  it('boxes the four words of a grouped number together', () => {
    const [finding] = detectCards(wordsFromLines(['Card 4111 1111 1111 1111 exp 05/27']));
    expect(finding?.box).toEqual(gridBox(0, 5, 24));
  });
});
