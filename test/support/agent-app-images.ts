// Pictures for the agent app's end-to-end runs: a photo-like JPEG, a WebP and a PNG that
// looks like a screenshot of an order page.
import sharp from 'sharp';
import { jpeg } from './images.js';

/** A photo-like JPEG: a ceramic mug on a wooden table, drawn at any size. */
export async function photo(width = 1600, height = 1200): Promise<Buffer> {
  const w = width;
  const hgt = height;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${hgt}" viewBox="0 0 1600 1200" preserveAspectRatio="xMidYMid slice">
    <defs>
      <linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#e9e4dc"/><stop offset="1" stop-color="#cfc6b8"/></linearGradient>
      <linearGradient id="table" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#a0714f"/><stop offset="1" stop-color="#6e4a31"/></linearGradient>
      <linearGradient id="mug" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#2f5d8a"/><stop offset="0.45" stop-color="#4f86bb"/><stop offset="1" stop-color="#24496d"/></linearGradient>
      <radialGradient id="light" cx="0.3" cy="0.2" r="0.8"><stop offset="0" stop-color="#fff" stop-opacity="0.35"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>
    </defs>
    <rect width="1600" height="760" fill="url(#wall)"/>
    <rect y="740" width="1600" height="460" fill="url(#table)"/>
    <g stroke="#5c3b25" stroke-opacity="0.35" stroke-width="3" fill="none">
      <path d="M0 820 C400 800 900 850 1600 810"/><path d="M0 930 C500 900 1000 960 1600 920"/><path d="M0 1060 C600 1030 1100 1090 1600 1050"/>
    </g>
    <ellipse cx="800" cy="1000" rx="330" ry="60" fill="#3b2619" opacity="0.45"/>
    <path d="M1040 560 C1220 560 1220 860 1030 860" stroke="#2f5d8a" stroke-width="46" fill="none"/>
    <path d="M540 420 L1060 420 L1030 960 Q800 1010 570 960 Z" fill="url(#mug)"/>
    <ellipse cx="800" cy="420" rx="260" ry="52" fill="#1d3b58"/>
    <ellipse cx="800" cy="425" rx="235" ry="40" fill="#3a2418"/>
    <path d="M700 520 L760 640 L720 720 L790 860" stroke="#f3efe8" stroke-width="9" fill="none" stroke-linejoin="round"/>
    <path d="M760 640 L840 660" stroke="#f3efe8" stroke-width="6" fill="none"/>
    <rect width="1600" height="1200" fill="url(#light)"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 86 }).toBuffer();
}

/** The test pattern of the shared image helpers, for places that need no scene. */
export const pattern = (width = 640, height = 480): Promise<Buffer> => jpeg(width, height);

export async function webp(width = 900, height = 1200): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#f4d7b5"/><stop offset="1" stop-color="#a86f4c"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <rect x="${width * 0.2}" y="${height * 0.25}" width="${width * 0.6}" height="${height * 0.45}" rx="24" fill="#5b3a29" opacity="0.85"/>
    <rect x="${width * 0.25}" y="${height * 0.3}" width="${width * 0.5}" height="${height * 0.08}" rx="8" fill="#e9d3bd"/>
  </svg>`;
  return sharp(Buffer.from(svg)).webp({ quality: 80 }).toBuffer();
}

export async function screenshotPng(width = 1280, height = 800, title = 'Order #1042'): Promise<Buffer> {
  const rows = Array.from(
    { length: 6 },
    (_, i) =>
      `<rect x="64" y="${250 + i * 70}" width="${width - 128}" height="52" rx="8" fill="${i === 2 ? '#fde8e8' : '#f3f4f6'}"/>
       <rect x="88" y="${268 + i * 70}" width="${200 + ((i * 97) % 300)}" height="16" rx="4" fill="${i === 2 ? '#e02424' : '#9ca3af'}"/>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#ffffff"/>
    <rect width="100%" height="72" fill="#111827"/>
    <circle cx="40" cy="36" r="12" fill="#f59e0b"/>
    <text x="64" y="160" font-family="DejaVu Sans, sans-serif" font-size="40" font-weight="bold" fill="#111827">${title}</text>
    <text x="64" y="205" font-family="DejaVu Sans, sans-serif" font-size="22" fill="#6b7280">Payment could not be completed</text>
    ${rows}
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Where the personal data sits in `screenshotWithPersonalData`, in its pixels. */
export interface PlantedText {
  kind: 'email' | 'phone';
  text: string;
  box: { x: number; y: number; width: number; height: number };
}

/**
 * A PNG of a chat transcript with an e-mail address and a phone number written large and
 * clear, as a customer's screenshot would carry them, and where each one sits.
 */
export async function screenshotWithPersonalData(
  width = 1200,
  height = 760,
): Promise<{ png: Buffer; planted: PlantedText[] }> {
  const font = 'DejaVu Sans, sans-serif';
  // DejaVu Sans at 40 px: about 0.6 em per character on average, 30 px above the baseline.
  const size = 40;
  const line = (text: string, x: number, baseline: number, kind: PlantedText['kind']): PlantedText => ({
    kind,
    text,
    box: { x, y: baseline - 32, width: Math.ceil(text.length * size * 0.62), height: 42 },
  });
  const planted = [
    line('maria.silva@example.com', 120, 330, 'email'),
    line('+1 415 555 0132', 120, 560, 'phone'),
  ];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#ffffff"/>
    <rect width="100%" height="84" fill="#0f766e"/>
    <text x="48" y="54" font-family="${font}" font-size="30" font-weight="bold" fill="#ffffff">Lumen Coffee · Order 1042</text>
    <rect x="80" y="140" width="900" height="230" rx="24" fill="#f1f5f9"/>
    <text x="120" y="210" font-family="${font}" font-size="${size}" fill="#0f172a">Please send the invoice to</text>
    <text x="120" y="330" font-family="${font}" font-size="${size}" fill="#0f172a">${planted[0]?.text}</text>
    <rect x="80" y="400" width="900" height="230" rx="24" fill="#f1f5f9"/>
    <text x="120" y="470" font-family="${font}" font-size="${size}" fill="#0f172a">Or call me on</text>
    <text x="120" y="560" font-family="${font}" font-size="${size}" fill="#0f172a">${planted[1]?.text}</text>
    <text x="80" y="700" font-family="${font}" font-size="26" fill="#64748b">Delivered yesterday, one mug broken</text>
  </svg>`;
  return { png: await sharp(Buffer.from(svg)).png().toBuffer(), planted };
}
