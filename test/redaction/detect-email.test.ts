import { describe, expect, it } from 'vitest';
import { detectEmails } from '../../src/server/media/redaction/detectors/email.js';
import { gridBox, wordsFromLines } from './words.js';

describe('e-mail detector', () => {
  it.each([
    ['write to maria.silva@example.com please', 'maria.silva@example.com'],
    ['joe+tag@mail.example.co.uk', 'joe+tag@mail.example.co.uk'],
    ['(contato: ana_souza@empresa.com.br)', 'ana_souza@empresa.com.br'],
  ])('finds the address in %j', (line, expected) => {
    expect(detectEmails(wordsFromLines([line])).map((finding) => finding.text)).toEqual([expected]);
  });

  it.each(['@handle on social', 'user@localhost', 'price 10@2.5', 'meet at 5 @ the office.'])(
    'finds nothing in %j',
    (line) => {
      expect(detectEmails(wordsFromLines([line]))).toEqual([]);
    },
  );

  it('boxes the whole word when the address is glued to a label', () => {
    const [finding] = detectEmails(wordsFromLines(['email:joe@x.com now']));
    expect(finding?.text).toBe('joe@x.com');
    expect(finding?.box).toEqual(gridBox(0, 0, 15));
  });
});
