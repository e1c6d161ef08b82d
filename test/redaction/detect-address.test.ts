import { describe, expect, it } from 'vitest';
import { detectAddresses } from '../../src/server/media/redaction/detectors/address.js';
import { gridBox, wordsFromLines } from './words.js';

const addressesIn = (lines: string[]) =>
  detectAddresses(wordsFromLines(lines)).map((finding) => finding.text);

describe('address detector', () => {
  it.each([
    ['ship to 123 Main St today', '123 Main St'],
    ['1600 Pennsylvania Avenue NW', '1600 Pennsylvania Avenue'],
    ['500 W. Madison Street, Suite 12', '500 W. Madison Street, Suite 12'],
    ['Rua das Flores, 45', 'Rua das Flores, 45'],
    ['entregar na Av. Paulista 1000 por favor', 'Av. Paulista 1000'],
    ['Avenida Brigadeiro Faria Lima, nº 3477 apto 12', 'Avenida Brigadeiro Faria Lima, nº 3477 apto 12'],
    ['RUA AUGUSTA 1500', 'RUA AUGUSTA 1500'],
  ])('finds the street in %j', (line, expected) => {
    expect(addressesIn([line])).toEqual([expected]);
  });

  it('takes the postal-code line below a street', () => {
    expect(addressesIn(['123 Main St', 'San Francisco, CA 94105'])).toEqual([
      '123 Main St',
      'San Francisco, CA 94105',
    ]);
    expect(addressesIn(['Rua das Flores, 45', '01310-100 São Paulo - SP'])).toEqual([
      'Rua das Flores, 45',
      '01310-100 São Paulo - SP',
    ]);
  });

  it('takes a postal code on the street line into the same finding', () => {
    const findings = detectAddresses(wordsFromLines(['Rua das Flores, 45 - 01310-100']));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.box).toEqual(gridBox(0, 0, 30));
  });

  it('takes a labelled postal code on its own', () => {
    expect(addressesIn(['CEP: 01310-100'])).toEqual(['CEP: 01310-100']);
  });

  it.each([
    ['I have 3 more items on the way'],
    ['order 94105 shipped'],
    ['01310-100'],
    ['we open at 9 on Main'],
    ['Total 2 items'],
    ['Rua sem número'],
    ['2 St. Louis tickets'.toLowerCase()],
  ])('finds nothing in %j', (line) => {
    expect(addressesIn([line])).toEqual([]);
  });

  it('ignores a postal code far from any address', () => {
    expect(addressesIn(['123 Main St', 'x', 'y', 'z', 'ref 94105'])).toEqual(['123 Main St']);
  });
});
