// Synthetic screenshots: chat threads (light and dark), receipts, order pages, bank
// transfers and contact cards, at phone (390×844 at 1× and 2×) and desktop (1440×900) sizes.
import type { FindingKind } from '../../src/server/media/redaction/types.js';
import {
  card,
  distractors,
  email,
  iban,
  person,
  phone,
  pick,
  seeded,
  streetAddress,
  type Random,
} from './data.js';
import type { Rect, Scene, Segment, TextLine } from './render.js';

const seg = (text: string, kind?: FindingKind): Segment => (kind ? { text, kind } : { text });
type Row = Segment[];

interface Theme {
  background: string;
  incoming: string;
  outgoing: string;
  text: string;
  outgoingText: string;
  header: string;
}
const light: Theme = {
  background: '#efeae2',
  incoming: '#ffffff',
  outgoing: '#d9fdd3',
  text: '#111b21',
  outgoingText: '#111b21',
  header: '#f0f2f5',
};
const blue: Theme = {
  background: '#ffffff',
  incoming: '#e9e9eb',
  outgoing: '#0b84fe',
  text: '#000000',
  outgoingText: '#ffffff',
  header: '#f6f6f6',
};
const dark: Theme = {
  background: '#0b141a',
  incoming: '#202c33',
  outgoing: '#005c4b',
  text: '#e9edef',
  outgoingText: '#e9edef',
  header: '#202c33',
};

function chat(random: Random, name: string, theme: Theme, scale: number): Scene {
  const who = person(random);
  const [street, city] = streetAddress(random);
  const noise = distractors(random);
  const size = 15 * scale;
  const width = 390 * scale;
  const messages: Array<{ out: boolean; rows: Row[] }> = [
    {
      out: false,
      rows: [[seg('Olá'), seg(`${who.first},`, 'name'), seg('tudo bem?')], [seg(`${noise.order} shipped`)]],
    },
    { out: true, rows: [[seg('Hi! My email is')], [seg(email(random, who), 'email')]] },
    { out: true, rows: [[seg('You can call me at')], [seg(phone(random), 'phone')]] },
    {
      out: false,
      rows: [[seg(`Delivered ${noise.date}, total ${noise.price}`)], [seg(`Tracking ${noise.tracking}`)]],
    },
    random() < 0.5
      ? { out: true, rows: [[seg('Card')], [seg(card(random), 'card')]] }
      : { out: true, rows: [[seg('IBAN for the refund:')], [seg(iban(random), 'iban')]] },
    { out: true, rows: [[seg('Ship to:')], [seg(street, 'address')], [seg(city, 'address')]] },
    { out: false, rows: [[seg(`Thanks! ${noise.protocol}`)], [seg(`See you at ${noise.time}`)]] },
  ];
  const rects: Rect[] = [{ x: 0, y: 0, width, height: 60 * scale, fill: theme.header }];
  const lines: TextLine[] = [
    {
      x: 70 * scale,
      y: 38 * scale,
      size: 17 * scale,
      color: theme.text,
      segments: [{ text: pick(random, ['Support', 'Loja Exemplo', 'Help Desk']), bold: true }],
    },
  ];
  let y = 80 * scale;
  for (const message of messages) {
    const height = message.rows.length * size * 1.45 + 14 * scale;
    const bubbleWidth = 330 * scale;
    const x = message.out ? width - bubbleWidth - 10 * scale : 10 * scale;
    rects.push({
      x,
      y,
      width: bubbleWidth,
      height,
      fill: message.out ? theme.outgoing : theme.incoming,
      radius: 10 * scale,
    });
    message.rows.forEach((row, index) => {
      lines.push({
        x: x + 10 * scale,
        y: Math.round(y + 7 * scale + size * (1.1 + index * 1.45)),
        size,
        color: message.out ? theme.outgoingText : theme.text,
        segments: row,
      });
    });
    y += height + 10 * scale;
  }
  return { name, width, height: 844 * scale, background: theme.background, rects, lines };
}

function column(x: number, y: number, size: number, color: string, rows: Row[], gap = 1.6): TextLine[] {
  return rows.map((segments, index) => ({ x, y: Math.round(y + index * size * gap), size, color, segments }));
}

function receipt(random: Random, name: string, scale: number): Scene {
  const who = person(random);
  const [street, city] = streetAddress(random);
  const noise = distractors(random);
  const size = 14 * scale;
  const rows: Row[] = [
    [{ text: 'RECEIPT', bold: true }],
    [seg(noise.order)],
    [seg(noise.date)],
    [seg(`2x Coffee beans ${noise.price}`)],
    [seg(`1x Grinder ${distractors(random).price}`)],
    [seg(noise.sku)],
    [seg(`Total ${distractors(random).price}`)],
    [seg('Customer:'), seg(who.full, 'name')],
    [seg('Phone:'), seg(phone(random), 'phone')],
    random() < 0.5 ? [seg('Card:'), seg(card(random), 'card')] : [seg('Paid with **** **** **** 4242')],
    [seg('Deliver to:')],
    [seg(street, 'address')],
    [seg(city, 'address')],
    [seg(`Auth ${noise.protocol.replace('Protocolo ', '')}`)],
    [seg(`Thank you! ${noise.time}`)],
  ];
  return {
    name,
    width: 390 * scale,
    height: 844 * scale,
    background: '#ffffff',
    rects: [],
    lines: column(24 * scale, 60 * scale, size, '#222222', rows).map((line) => ({
      ...line,
      font: 'DejaVu Sans Mono',
    })),
  };
}

function orderPage(random: Random, name: string): Scene {
  const who = person(random);
  const [street, city] = streetAddress(random);
  const noise = distractors(random);
  const left: Row[] = [
    [{ text: noise.order, bold: true }],
    [seg(`Placed on ${noise.date}`)],
    [seg(`Wireless headphones ${noise.price}`)],
    [seg(noise.sku)],
    [seg(`USB-C cable ${distractors(random).price}`)],
    [seg(`Tracking number: ${noise.tracking}`)],
    [seg(`Invoice ${distractors(random).order.replace(/^\D+/, '')}`)],
    [seg(`Total ${distractors(random).price}`)],
  ];
  const right: Row[] = [
    [{ text: pick(random, ['Ship to', 'Shipping address', 'Delivery address']), bold: true }],
    [seg(who.full, 'name')],
    [seg(street, 'address')],
    [seg(city, 'address')],
    [seg('')],
    [{ text: 'Contact', bold: true }],
    [seg('Email:'), seg(email(random, who), 'email')],
    [seg('Phone:'), seg(phone(random), 'phone')],
  ];
  return {
    name,
    width: 1440,
    height: 900,
    background: '#ffffff',
    rects: [
      { x: 0, y: 0, width: 1440, height: 64, fill: '#232f3e' },
      { x: 880, y: 120, width: 500, height: 420, fill: '#f7f7f7', radius: 8 },
    ],
    lines: [
      { x: 40, y: 42, size: 22, color: '#ffffff', segments: [{ text: 'ShopExample', bold: true }] },
      ...column(60, 160, 16, '#111111', left, 2.2),
      ...column(
        910,
        170,
        16,
        '#111111',
        right.filter((row) => row[0]?.text !== ''),
        1.7,
      ),
    ],
  };
}

function bankTransfer(random: Random, name: string): Scene {
  const who = person(random);
  const noise = distractors(random);
  const rows: Row[] = [
    [{ text: 'Transfer details', bold: true }],
    [seg('Beneficiary:'), seg(who.full, 'name')],
    [seg('IBAN:'), seg(iban(random), 'iban')],
    [seg('BIC: DEUTDEFFXXX')],
    [seg(`Amount: ${noise.price}`)],
    [seg(`Reference: ${noise.order}`)],
    [seg(`Execution date: ${noise.date}`)],
    [seg(`Transaction ID ${noise.tracking}`)],
    [seg('Notify:'), seg(email(random, who), 'email')],
  ];
  return {
    name,
    width: 1440,
    height: 900,
    background: '#f4f6f8',
    rects: [{ x: 320, y: 100, width: 800, height: 640, fill: '#ffffff', radius: 12 }],
    lines: column(370, 170, 18, '#1c2833', rows, 2.4),
  };
}

function contactCard(random: Random, name: string, scale: number, theme: Theme): Scene {
  const who = person(random);
  const [street, city] = streetAddress(random);
  const size = 15 * scale;
  return {
    name,
    width: 390 * scale,
    height: 844 * scale,
    background: theme.background,
    rects: [
      {
        x: 145 * scale,
        y: 60 * scale,
        width: 100 * scale,
        height: 100 * scale,
        fill: '#8696a0',
        radius: 50 * scale,
      },
    ],
    lines: [
      {
        x: 40 * scale,
        y: 200 * scale,
        size: 22 * scale,
        color: theme.text,
        segments: [seg(who.full, 'name')],
      },
      ...column(40 * scale, 250 * scale, size, theme.text, [
        [seg('mobile')],
        [seg(phone(random), 'phone')],
        [seg('email')],
        [seg(email(random, who), 'email')],
        [seg('home')],
        [seg(street, 'address')],
        [seg(city, 'address')],
        [seg(`Last seen ${distractors(random).date}`)],
      ]),
    ],
  };
}

/** The benchmark's screenshots; the same seed always gives the same set. */
export function scenes(count: number, seed = 20240501): Scene[] {
  const random = seeded(seed);
  const list: Scene[] = [];
  for (let i = 0; list.length < count; i += 1) {
    const scale = i % 4 === 3 ? 1 : 2;
    const kind = i % 7;
    const label = `${String(i + 1).padStart(2, '0')}`;
    if (kind === 0) list.push(chat(random, `${label} chat light @${scale}x`, light, scale));
    if (kind === 1) list.push(chat(random, `${label} chat dark @${scale}x`, dark, scale));
    if (kind === 2) list.push(receipt(random, `${label} receipt @${scale}x`, scale));
    if (kind === 3) list.push(orderPage(random, `${label} order page 1440×900`));
    if (kind === 4) list.push(bankTransfer(random, `${label} bank transfer 1440×900`));
    if (kind === 5) list.push(chat(random, `${label} chat blue @${scale}x`, blue, scale));
    if (kind === 6)
      list.push(contactCard(random, `${label} contact card @${scale}x`, scale, i % 2 ? dark : light));
  }
  return list;
}
