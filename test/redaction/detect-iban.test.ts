import { describe, expect, it } from 'vitest';
import { detectIbans, isValidIban } from '../../src/server/media/redaction/detectors/iban.js';
import { gridBox, wordsFromLines } from './words.js';

const valid = {
  DE: 'DE89370400440532013000',
  GB: 'GB29NWBK60161331926819',
  BR: 'BR1800360305000010009795493C1',
  FR: 'FR1420041010050500013M02606',
};

describe('IBAN validation', () => {
  it.each(Object.values(valid))('accepts %s', (iban) => expect(isValidIban(iban)).toBe(true));
  it.each([
    'DE89370400440532013001', // one digit off
    'GB29NWBK60161331926818',
    'BR1800360305000010009795493C2',
    'FR1420041010050500013M0260', // too short for France
    'XX89370400440532013000', // unknown country
  ])('rejects %s', (iban) => expect(isValidIban(iban)).toBe(false));
});

describe('IBAN detector', () => {
  it.each([
    ['IBAN DE89 3704 0044 0532 0130 00', valid.DE],
    ['pay to GB29 NWBK 6016 1331 9268 19 today', valid.GB],
    ['IBAN: BR18 0036 0305 0000 1000 9795 493C 1', valid.BR],
    ['IBAN:FR1420041010050500013M02606', valid.FR],
    ['iban fr14 2004 1010 0505 0001 3m02 606', valid.FR],
    ['FRO2 5961 8917 6743 4182 7429 819', 'FR0259618917674341827429819'], // OCR read 0 as O
  ])('finds the IBAN in %j', (line, expected) => {
    expect(detectIbans(wordsFromLines([line])).map((finding) => finding.text)).toEqual([expected]);
  });

  it.each([
    'IBAN DE89 3704 0044 0532 0130 01',
    'GB29 NWBK 6016 1331 9268 18',
    'ref DE12 3456 7890',
    'DE89 3704 0044 0532 0130 0099',
  ])('finds nothing in %j', (line) => expect(detectIbans(wordsFromLines([line]))).toEqual([]));

  it('boxes every group of the IBAN', () => {
    const [finding] = detectIbans(wordsFromLines(['IBAN DE89 3704 0044 0532 0130 00']));
    expect(finding?.box).toEqual(gridBox(0, 5, 32));
  });
});
