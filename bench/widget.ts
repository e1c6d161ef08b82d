// Widget benchmark: the size of widget.js (gzipped, as a browser fetches it) and the time from
// the moment the demo page starts loading the script to the chat bubble being drawn, in
// Debian's Chromium. Baselines measured in the same run: a bundle of Preact rendering one
// button (the framework's floor) and a page whose script draws a bubble with no request of
// its own (the floor of loading and running any script on that page).
//
//   node --import tsx bench/widget.ts [--runs 15]
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { webchatAdapter, webchatRoutes } from '../src/server/channels/webchat/webchat-channel.js';
import { hasChromium, launchBrowser } from '../test/support/browser.js';
import { signIn } from '../test/support/client.js';
import { buildAccount, createHarness } from '../test/support/harness.js';

const BUDGET_KB = 60;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Math.max(3, Number(process.argv[runsArg + 1]) || 15) : 15;
const root = process.cwd();

interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

const sizesOf = (bytes: Buffer): Sizes => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes).length,
});

async function buildWidget(outDir: string): Promise<Buffer> {
  await build({
    configFile: join(root, 'vite.widget.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  return readFile(join(outDir, 'widget.js'));
}

/** Preact drawing one button into a shadow root, built the same way: the framework's floor. */
async function buildPreactFloor(dir: string): Promise<Buffer> {
  // The entry sits inside the project, so that it resolves preact from its node_modules.
  const source = join(root, 'node_modules', '.cache', 'bench-widget');
  await mkdir(source, { recursive: true });
  const entry = join(source, 'floor.ts');
  await writeFile(
    entry,
    `import { h, render } from 'preact';
     const host = document.createElement('div');
     document.body.appendChild(host);
     render(h('button', { class: 'bubble' }, 'Chat'), host.attachShadow({ mode: 'open' }));`,
  );
  await build({
    configFile: false,
    root,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: join(dir, 'floor'),
      emptyOutDir: true,
      minify: true,
      target: 'es2020',
      lib: { entry, name: 'Floor', formats: ['iife'], fileName: () => 'floor.js' },
    },
  });
  return readFile(join(dir, 'floor', 'floor.js'));
}

/** A script that draws a fixed bubble at once, with no request of its own. */
const BASELINE_SCRIPT = `(() => {
  const host = document.createElement('div');
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = '<style>button{position:fixed;right:20px;bottom:20px;width:60px;height:60px;border-radius:50%;border:0;background:#2563eb}</style><button aria-label="chat"></button>';
  document.body.appendChild(host);
  requestAnimationFrame(() => performance.mark('switchboard:bubble-visible'));
})();`;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const p90 = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)] as number;
};

/** Milliseconds from the script's fetch start to the bubble mark, on a fresh (cold) and a reloaded (warm) page. */
async function timeToBubble(
  browser: Browser,
  url: string,
  script: string,
): Promise<{ cold: number[]; warm: number[] }> {
  const cold: number[] = [];
  const warm: number[] = [];
  const measure = async (page: Page): Promise<number> => {
    await page.waitForFunction(
      () => performance.getEntriesByName('switchboard:bubble-visible').length > 0,
      undefined,
      {
        timeout: 15_000,
      },
    );
    return page.evaluate((name) => {
      const resource = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith(name));
      const mark = performance.getEntriesByName('switchboard:bubble-visible')[0];
      if (!resource || !mark) throw new Error('missing timing entries');
      return mark.startTime - resource.startTime;
    }, script);
  };
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(url);
    cold.push(await measure(page));
    await page.reload();
    warm.push(await measure(page));
    await context.close();
  }
  return { cold, warm };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-widget-'));
  try {
    const widget = sizesOf(await buildWidget(join(dir, 'widget')));
    const floor = sizesOf(await buildPreactFloor(dir));
    const kb = (bytes: number) => (bytes / 1024).toFixed(1);
    const rows: string[][] = [
      ['widget.js gzipped (KB)', kb(widget.gzip), `${kb(floor.gzip)} (Preact + one button)`, `${BUDGET_KB}`],
      ['widget.js brotli (KB)', kb(widget.brotli), kb(floor.brotli), ''],
      ['widget.js minified (KB)', kb(widget.raw), kb(floor.raw), ''],
    ];

    if (hasChromium()) {
      const h = await createHarness({
        adapters: [webchatAdapter()],
        extraRoutes: [
          webchatRoutes({ widgetFile: join(dir, 'widget', 'widget.js') }),
          (app) => {
            app.get('/bench/baseline.js', { config: { auth: 'public' } }, async (_request, reply) =>
              reply
                .type('text/javascript')
                .header('Cache-Control', 'public, max-age=300')
                .send(BASELINE_SCRIPT),
            );
            app.get('/bench/baseline', { config: { auth: 'public' } }, async (request, reply) => {
              const demo = await app.inject({ method: 'GET', url: '/demo' });
              void request;
              return reply
                .type('text/html')
                .send(
                  demo.body.replace(
                    /<script src="\/widget\.js"[^>]*><\/script>/,
                    '<script src="/bench/baseline.js" async></script>',
                  ),
                );
            });
          },
        ],
        jobs: false,
      });
      const account = await buildAccount(h);
      const agent = await signIn(h, account.admin.email, account.admin.password);
      await agent.request('POST', '/api/channels', {
        kind: 'webchat',
        name: 'Website chat',
        config: { allowedOrigins: [] },
      });
      const browser = await launchBrowser();
      try {
        // One warm-up visit each, so the first measured run does not pay for the browser starting.
        await timeToBubble(browser, `${h.url}/demo`, '/widget.js').catch(() => undefined);
        const widgetTimes = await timeToBubble(browser, `${h.url}/demo`, '/widget.js');
        const baseTimes = await timeToBubble(browser, `${h.url}/bench/baseline`, '/bench/baseline.js');
        const ms = (value: number) => value.toFixed(1);
        rows.push(
          [
            'script load → bubble visible, first visit, median (ms)',
            ms(median(widgetTimes.cold)),
            ms(median(baseTimes.cold)),
            '',
          ],
          [
            'script load → bubble visible, first visit, p90 (ms)',
            ms(p90(widgetTimes.cold)),
            ms(p90(baseTimes.cold)),
            '',
          ],
          [
            'script load → bubble visible, reload, median (ms)',
            ms(median(widgetTimes.warm)),
            ms(median(baseTimes.warm)),
            '',
          ],
        );
      } finally {
        await browser.close();
        await h.close();
      }
    } else {
      rows.push(['script load → bubble visible', 'skipped: no Chromium at /usr/bin/chromium', '', '']);
    }

    const lines = [
      `### Webchat widget (${RUNS} page loads per row, loopback server, Chromium headless)`,
      '',
      '| measure | widget | baseline (same run) | budget |',
      '| --- | ---: | ---: | ---: |',
      ...rows.map((row) => `| ${row.join(' | ')} |`),
      '',
      'Baselines: sizes of a bundle of Preact rendering one button, built the same way; times of a',
      'script that draws a bubble with no request of its own on the same page. The widget fetches',
      "its channel's configuration before it draws the bubble, so its time includes one request.",
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
