// Seeded generators of realistic personal data (all checksums valid) and of distractors
// that look like it (order numbers, dates, prices, tracking ids).
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { passesLuhn } from '../../src/server/media/redaction/detectors/luhn.js';
import { ibanChecksumValid } from '../../src/server/media/redaction/detectors/iban.js';

export type Random = () => number;

/** mulberry32: small, fast, seedable. */
export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;
const digits = (random: Random, count: number): string =>
  Array.from({ length: count }, () => String(Math.floor(random() * 10))).join('');
const letters = (random: Random, count: number): string =>
  Array.from({ length: count }, () => String.fromCharCode(65 + Math.floor(random() * 26))).join('');

const firstNames = [
  'Maria',
  'João',
  'Ana',
  'Pedro',
  'Lucas',
  'Juliana',
  'John',
  'Emily',
  'Michael',
  'Sarah',
  'Carlos',
  'Fernanda',
  'David',
  'Laura',
  'Rafael',
  'Beatriz',
];
const lastNames = [
  'Silva',
  'Santos',
  'Oliveira',
  'Souza',
  'Pereira',
  'Costa',
  'Smith',
  'Johnson',
  'Brown',
  'Miller',
  'Almeida',
  'Ferreira',
  'Garcia',
  'Taylor',
  'Rodrigues',
  'Martins',
];
const domains = ['example.com', 'mail.com', 'empresa.com.br', 'outlook.com', 'gmail.com', 'company.co.uk'];

export const person = (random: Random) => {
  const first = pick(random, firstNames);
  const last = pick(random, lastNames);
  return { first, last, full: `${first} ${last}` };
};

export function email(random: Random, name: { first: string; last: string }): string {
  const plain = (text: string) =>
    text
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase();
  const local = pick(random, [
    `${plain(name.first)}.${plain(name.last)}`,
    `${plain(name.first)}${Math.floor(random() * 90) + 10}`,
    `${plain(name.first)[0]}${plain(name.last)}`,
  ]);
  return `${local}@${pick(random, domains)}`;
}

/** A valid phone number in one of several national and international formats. */
export function phone(random: Random): string {
  const styles: Array<() => [string, 'BR' | 'US']> = [
    () => [`+55 11 9${digits(random, 4)}-${digits(random, 4)}`, 'BR'],
    () => [`(11) 9${digits(random, 4)}-${digits(random, 4)}`, 'BR'],
    () => [`(21) 3${digits(random, 3)}-${digits(random, 4)}`, 'BR'],
    () => [`+1 415-${pick(random, ['555', '623', '987'])}-${digits(random, 4)}`, 'US'],
    () => [`(212) 6${digits(random, 2)}-${digits(random, 4)}`, 'US'],
    () => [`+44 20 7946 0${digits(random, 3)}`, 'US'],
    () => [`+49 30 ${digits(random, 6)}`, 'US'],
  ];
  for (;;) {
    const [candidate, country] = pick(random, styles)();
    if (isValidPhoneNumber(candidate, country)) return candidate;
  }
}

export function card(random: Random): string {
  for (;;) {
    const kind = pick(random, ['visa', 'mastercard', 'amex'] as const);
    const body =
      kind === 'visa'
        ? `4${digits(random, 14)}`
        : kind === 'mastercard'
          ? `5${1 + Math.floor(random() * 5)}${digits(random, 13)}`
          : `3${pick(random, ['4', '7'])}${digits(random, 12)}`;
    for (let check = 0; check < 10; check += 1) {
      const number = `${body}${check}`;
      if (!passesLuhn(number)) continue;
      if (kind === 'amex') return `${number.slice(0, 4)} ${number.slice(4, 10)} ${number.slice(10)}`;
      const separator = random() < 0.2 ? '-' : ' ';
      return number.match(/.{4}/g)?.join(separator) ?? number;
    }
  }
}

const ibanBban: Record<string, (random: Random) => string> = {
  DE: (r) => digits(r, 18),
  GB: (r) => `${letters(r, 4)}${digits(r, 14)}`,
  FR: (r) => `${digits(r, 10)}${digits(r, 11)}${digits(r, 2)}`,
  BR: (r) => `${digits(r, 23)}${pick(r, ['C', 'P'])}${digits(r, 1)}`,
  NL: (r) => `${letters(r, 4)}${digits(r, 10)}`,
  PT: (r) => digits(r, 21),
  ES: (r) => digits(r, 20),
};

/** A valid IBAN printed in groups of four. */
export function iban(random: Random): string {
  const country = pick(random, Object.keys(ibanBban));
  const bban = ibanBban[country]?.(random) ?? '';
  for (let check = 2; check < 99; check += 1) {
    const compact = `${country}${String(check).padStart(2, '0')}${bban}`;
    if (ibanChecksumValid(compact)) return compact.match(/.{1,4}/g)?.join(' ') ?? compact;
  }
  throw new Error('no check digits found');
}

export const streetAddress = (random: Random): [string, string] =>
  pick(random, [
    () => [
      `${10 + Math.floor(random() * 9000)} ${pick(random, ['Main', 'Oak', 'Market', 'Maple', 'Mission', 'Elm'])} ${pick(random, ['St', 'Street', 'Ave', 'Avenue', 'Road', 'Blvd'])}`,
      `${pick(random, ['San Francisco, CA', 'Austin, TX', 'Brooklyn, NY', 'Seattle, WA'])} ${digits(random, 5).replace(/^0/, '9')}`,
    ],
    () => [
      `Rua ${pick(random, ['das Flores', 'Augusta', 'Oscar Freire', 'XV de Novembro', 'da Consolação'])}, ${10 + Math.floor(random() * 2000)}`,
      `${digits(random, 5)}-${digits(random, 3)} ${pick(random, ['São Paulo - SP', 'Curitiba - PR', 'Rio de Janeiro - RJ'])}`,
    ],
    () => [
      `Av. ${pick(random, ['Paulista', 'Brasil', 'Atlântica', 'Rebouças'])} ${100 + Math.floor(random() * 3000)}`,
      `CEP ${digits(random, 5)}-${digits(random, 3)}`,
    ],
  ] as const)() as [string, string];

export const distractors = (random: Random) => ({
  order: pick(random, [
    `Order #${digits(random, 9)}`,
    `Pedido nº ${digits(random, 8)}`,
    `Order ${digits(random, 3)}-${digits(random, 7)}-${digits(random, 7)}`,
  ]),
  date: pick(random, ['2024-05-01', '05/01/2024', '01/05/2024 14:32', 'May 1, 2024', '12 de maio de 2024']),
  price: pick(random, [
    `$${Math.floor(random() * 2000)}.${digits(random, 2)}`,
    `R$ ${1 + Math.floor(random() * 9)}.${digits(random, 3)},${digits(random, 2)}`,
    `€ ${Math.floor(random() * 500)},${digits(random, 2)}`,
  ]),
  tracking: pick(random, [
    `1Z ${digits(random, 3)} ${letters(random, 2)}${digits(random, 1)} ${digits(random, 2)} ${digits(random, 4)} ${digits(random, 3)}`,
    `${letters(random, 2)}${digits(random, 9)}BR`,
    `${digits(random, 12)}`,
  ]),
  sku: `SKU ${digits(random, 13)}`,
  time: `${10 + Math.floor(random() * 12)}:${digits(random, 1)}${digits(random, 1)}`,
  protocol: `Protocolo ${digits(random, 16)}`,
});
