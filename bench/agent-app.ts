// How fast the agent app shows the newest messages of a long ticket in Chromium, and what
// it downloads to do so: a 2,000-message ticket of which 300 carry an image, against the
// same ticket with the media removed (the baseline, measured in the same run).
//
//   node --import tsx bench/agent-app.ts [--runs 11]
import type { Browser } from 'playwright-core';
import { signIn } from '../test/support/client.js';
import { buildAccount, createHarness } from '../test/support/harness.js';
import {
  builtWebRoot,
  createTestChannel,
  deliverInbound,
  processedUpload,
  ticketOf,
  writeLongHistory,
} from '../test/support/agent-app.js';
import { pattern } from '../test/support/agent-app-images.js';
import { hasChromium, launchBrowser } from '../test/support/browser.js';
import { createTestAdapter } from '../test/support/test-adapter.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 11;
const MESSAGES = 2000;
const IMAGES = 300;
const NEWEST = 'Newest message: is the replacement on its way?';

interface Sample {
  firstViewMs: number;
  bytes: number;
  requests: number;
  thumbnails: number;
  originals: number;
}

// Runs in the page before the app: notes the moment the newest message is on screen with
// every picture in view decoded.
const firstViewProbe = `
  (() => {
    const wanted = ${JSON.stringify(NEWEST)};
    const check = () => {
      const scroller = document.querySelector('.thread-scroll:not(.loading)');
      const texts = scroller ? Array.from(scroller.querySelectorAll('.message-text')) : [];
      const newest = texts.find((node) => node.textContent === wanted);
      if (scroller && newest) {
        const box = scroller.getBoundingClientRect();
        const inView = (node) => {
          const r = node.getBoundingClientRect();
          return r.bottom > box.top && r.top < box.bottom;
        };
        const r = newest.getBoundingClientRect();
        const images = Array.from(scroller.querySelectorAll('.media-thumb img')).filter(inView);
        if (r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && images.every((img) => img.complete && img.naturalWidth > 0)) {
          window.__firstView = performance.now();
          window.__imagesInView = images.length;
          return;
        }
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })();
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function measure(
  browser: Browser,
  url: string,
  cookie: { name: string; value: string },
): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies([{ ...cookie, url: new URL(url).origin }]);
  await context.addInitScript(firstViewProbe);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const urls = new Map<string, string>();
  let bytes = 0;
  let requests = 0;
  let thumbnails = 0;
  let originals = 0;
  cdp.on('Network.requestWillBeSent', (event) => urls.set(event.requestId, event.request.url));
  cdp.on('Network.loadingFinished', (event) => {
    bytes += event.encodedDataLength;
    requests += 1;
    const path = urls.get(event.requestId) ?? '';
    if (path.endsWith('/thumbnail')) thumbnails += 1;
    if (path.includes('/content')) originals += 1;
  });
  await page.goto(url);
  if (process.env.BENCH_DEBUG) {
    await page.waitForTimeout(3000);
    await page.screenshot({ path: '/tmp/bench-debug.png' });
  }
  await page.waitForFunction(
    () => (window as unknown as { __firstView?: number }).__firstView !== undefined,
    null,
    {
      timeout: 30_000,
      polling: 'raf',
    },
  );
  const firstViewMs = await page.evaluate(() => (window as unknown as { __firstView: number }).__firstView);
  if (process.env.BENCH_DEBUG)
    console.log(
      await page.evaluate(() =>
        performance
          .getEntries()
          .map(
            (e) =>
              `${e.name.replace(location.origin, '').slice(0, 60)} ${e.startTime.toFixed(0)}+${e.duration.toFixed(0)}`,
          )
          .join('\n'),
      ),
    );
  // Whatever the first view asked for (overscan thumbnails included) counts toward its bytes.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  await context.close();
  return { firstViewMs, bytes, requests, thumbnails, originals };
}

async function main() {
  if (!hasChromium()) {
    console.error('Chromium is not installed (/usr/bin/chromium); nothing to measure.');
    process.exit(1);
  }
  const webRoot = await builtWebRoot();
  const h = await createHarness({ adapters: [createTestAdapter('sms').adapter], webRoot });
  try {
    const account = await buildAccount(h, 'Bench');
    const client = await signIn(h, account.admin.email, account.admin.password);
    const sms = await createTestChannel(client, 'sms', 'SMS');
    const template = await processedUpload(h, client, {
      name: 'photo.jpg',
      bytes: await pattern(4000, 3000),
      type: 'image/jpeg',
    });
    const tickets: Record<'media' | 'text', string> = { media: '', text: '' };
    for (const [kind, from] of [
      ['media', '+15550000001'],
      ['text', '+15550000002'],
    ] as const) {
      await deliverInbound(h, sms, [{ from, name: `Customer ${kind}`, text: NEWEST }]);
      tickets[kind] = await ticketOf(h, sms.channel.id, from);
      await writeLongHistory(h, {
        accountId: account.accountId,
        channelId: sms.channel.id,
        ticketId: tickets[kind],
        messages: MESSAGES - 1,
        ...(kind === 'media' ? { images: IMAGES, imageTemplate: template } : {}),
      });
    }
    const raw = client.cookie ?? '';
    const cookie = { name: raw.slice(0, raw.indexOf('=')), value: raw.slice(raw.indexOf('=') + 1) };
    const browser = await launchBrowser();
    const samples: Record<'media' | 'text', Sample[]> = { media: [], text: [] };
    try {
      // One warm-up each (JIT, SQLite page cache), then alternate so drift hits both alike.
      await measure(browser, `${h.url}/tickets/${tickets.media}`, cookie);
      await measure(browser, `${h.url}/tickets/${tickets.text}`, cookie);
      for (let run = 0; run < RUNS; run++) {
        for (const kind of ['text', 'media'] as const)
          samples[kind].push(await measure(browser, `${h.url}/tickets/${tickets[kind]}`, cookie));
      }
    } finally {
      await browser.close();
    }

    const row = (label: string, list: Sample[]) => {
      const times = list.map((sample) => sample.firstViewMs);
      const last = list[list.length - 1] as Sample;
      return `| ${label} | ${median(times).toFixed(0)} | ${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} | ${(median(list.map((s) => s.bytes)) / 1024).toFixed(0)} KiB | ${last.requests} | ${last.thumbnails} | ${last.originals} |`;
    };
    const ratio =
      median(samples.media.map((s) => s.firstViewMs)) / median(samples.text.map((s) => s.firstViewMs));
    const mediaMs = median(samples.media.map((s) => s.firstViewMs));
    const mediaBytes = median(samples.media.map((s) => s.bytes));
    console.log(
      `\n## Agent app: first view of a ${MESSAGES}-message ticket (Chromium, 1280×800, cold cache, ${RUNS} runs)\n`,
    );
    console.log(
      '| page | first view, median (ms) | range (ms) | bytes | requests | thumbnails | originals |',
    );
    console.log('|---|---|---|---|---|---|---|');
    console.log(row('baseline: same ticket, media removed', samples.text));
    console.log(row(`${IMAGES} of the messages carry a 12 MP photo`, samples.media));
    console.log('');
    console.log('| check | target | measured | |');
    console.log('|---|---|---|---|');
    console.log(
      `| media cost (media ÷ baseline) | < 1.5× | ${ratio.toFixed(2)}× | ${ratio < 1.5 ? 'ok' : 'MISSED'} |`,
    );
    console.log(
      `| first view with media | < 1000 ms | ${mediaMs.toFixed(0)} ms | ${mediaMs < 1000 ? 'ok' : 'MISSED'} |`,
    );
    console.log(
      `| bytes for the first view | < 2 MiB | ${(mediaBytes / 1024).toFixed(0)} KiB | ${mediaBytes < 2 * 1024 * 1024 ? 'ok' : 'MISSED'} |`,
    );
  } finally {
    await h.close();
  }
}

await main();
