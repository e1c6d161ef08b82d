import { describe, expect, it } from 'vitest';
import { detectPersonalData, resolveOverlaps } from '../../src/server/media/redaction/detectors/index.js';
import { wordsFromLines } from './words.js';

describe('detectPersonalData', () => {
  it('proposes every kind once, in reading order', () => {
    const findings = detectPersonalData(
      wordsFromLines([
        'Name: John Smith',
        'email john.smith@example.com',
        'phone +1 415-555-2671',
        'card 4111 1111 1111 1111',
        'IBAN GB29 NWBK 6016 1331 9268 19',
        '123 Main St',
        'San Francisco, CA 94105',
        'Order #123456789 on 2024-05-01, total $1,234.56',
      ]),
    );
    expect(findings.map((finding) => [finding.kind, finding.text])).toEqual([
      ['name', 'John Smith'],
      ['email', 'john.smith@example.com'],
      ['phone', '+1 415-555-2671'],
      ['card', '4111 1111 1111 1111'],
      ['iban', 'GB29NWBK60161331926819'],
      ['address', '123 Main St'],
      ['address', 'San Francisco, CA 94105'],
    ]);
  });

  it('lets the higher-priority kind win when matches share words', () => {
    const kept = resolveOverlaps([
      { kind: 'phone', text: '4111 1111', words: [1, 2] },
      { kind: 'card', text: '4111 1111 1111 1111', words: [1, 2, 3, 4] },
      { kind: 'name', text: 'Ana', words: [7] },
      { kind: 'address', text: 'Rua Ana 4', words: [6, 7, 8] },
    ]);
    expect(kept.map((match) => match.kind)).toEqual(['card', 'address']);
  });

  it('keeps the digits of an IBAN from being taken for a card', () => {
    // 3605 5751 6739 8605 passes Luhn on its own.
    const findings = detectPersonalData(wordsFromLines(['IBAN: FR84 3605 5751 6739 8605 4917 152']));
    expect(findings.map((finding) => [finding.kind, finding.text])).toEqual([
      ['iban', 'FR8436055751673986054917152'],
    ]);
  });

  it('reads two columns that OCR put on one line as separate lines', () => {
    const gap = ' '.repeat(40);
    const findings = detectPersonalData(
      wordsFromLines([
        `Order 766-5558730-0697445${gap}Delivery address`,
        `Placed on May 1, 2024${gap}    Michael Almeida`,
        `Wireless headphones $1927.93${gap}Rua Augusta, 1129`,
      ]),
    );
    expect(findings.map((finding) => [finding.kind, finding.text])).toEqual([
      ['name', 'Michael Almeida'],
      ['address', 'Rua Augusta, 1129'],
    ]);
  });

  it('returns nothing for text without personal data', () => {
    expect(
      detectPersonalData(
        wordsFromLines(['Your order shipped', 'Tracking 1Z999AA10123456784', 'Total R$ 1.234,56']),
      ),
    ).toEqual([]);
  });
});
