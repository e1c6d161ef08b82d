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

  it('returns nothing for text without personal data', () => {
    expect(
      detectPersonalData(
        wordsFromLines(['Your order shipped', 'Tracking 1Z999AA10123456784', 'Total R$ 1.234,56']),
      ),
    ).toEqual([]);
  });
});
