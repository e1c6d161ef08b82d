// Pictures for the agent app's end-to-end runs: a photo-like JPEG, a WebP and a PNG that
// looks like a screenshot of an order page.
import sharp from 'sharp';
import { jpeg } from './images.js';

export const photo = (width = 1600, height = 1200): Promise<Buffer> => jpeg(width, height);

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
