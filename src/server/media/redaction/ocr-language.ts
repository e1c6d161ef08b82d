// Where the recogniser's code and English model come from: both from installed packages
// (tesseract.js-core's WebAssembly and @tesseract.js-data/eng's traineddata), never from the
// network. The worker thread is started through a small module that replaces `fetch` with
// one that fails, so a setting that would make tesseract.js download something fails loudly
// instead of reaching out.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Message of the error raised inside the worker if anything tries to fetch. */
export const networkBlockedMessage = 'network access is disabled for text recognition';

/**
 * Directory holding eng.traineddata.gz. The `4.0.0_best_int` variant is the LSTM-only model
 * (integer "best"), the one tesseract.js itself would pick for OEM.LSTM_ONLY.
 */
export function localLangPath(variant: '4.0.0_best_int' | '4.0.0' = '4.0.0_best_int'): string {
  const packageDir = dirname(require.resolve('@tesseract.js-data/eng/package.json'));
  return join(packageDir, variant);
}

/** Fails unless the path is a local directory holding the gzipped English model. */
export function assertLocalLangPath(langPath: string): void {
  if (!isAbsolute(langPath) || !existsSync(join(langPath, 'eng.traineddata.gz'))) {
    throw new Error(`The OCR language path must be a local directory with eng.traineddata.gz: ${langPath}`);
  }
}

/** A `data:` module URL that blocks `fetch` and then runs tesseract.js's Node worker script. */
export function offlineWorkerUrl(): URL {
  const script = require.resolve('tesseract.js/src/worker-script/node/index.js');
  const source = [
    "import { createRequire } from 'node:module';",
    `const message = ${JSON.stringify(networkBlockedMessage)};`,
    'globalThis.fetch = (resource) => Promise.reject(new Error(`${message} (tried ${String(resource)})`));',
    `createRequire(${JSON.stringify(script)})(${JSON.stringify(script)});`,
  ].join('\n');
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}
