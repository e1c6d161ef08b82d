// A bounded pool of tesseract.js workers, started lazily, with a bounded queue and a time
// limit per job. Text recognition is CPU-heavy (≈250 MB and one core per worker), so callers
// run it in background jobs, never on the request path.
import { availableParallelism } from 'node:os';
import Tesseract from 'tesseract.js';
import { AppError } from '../../errors.js';
import { assertLocalLangPath, localLangPath, offlineWorkerUrl } from './ocr-language.js';
import { prepareForOcr, type PreprocessOptions } from './ocr-preprocess.js';
import { wordsFromBlocks } from './ocr-words.js';
import type { OcrWord } from './types.js';

export interface OcrPoolOptions {
  /** Number of workers (default: min(2, available cores)). */
  size?: number;
  /** Jobs allowed to wait for a worker; more are refused with `not_ready` (default 32). */
  maxQueue?: number;
  /** Time limit for one recognition, including waiting for a worker to start (default 30 s). */
  timeoutMs?: number;
  /** Local directory with eng.traineddata.gz (default: the @tesseract.js-data/eng package). */
  langPath?: string;
  preprocess?: PreprocessOptions;
}

export interface OcrResult {
  words: OcrWord[];
  /** Size of the auto-oriented image the word boxes refer to. */
  width: number;
  height: number;
}

export interface OcrPoolStats {
  size: number;
  started: number;
  busy: number;
  queued: number;
}

export interface OcrPool {
  recognize(image: Buffer | string): Promise<OcrResult>;
  stats(): OcrPoolStats;
  /** Refuses new jobs, fails queued ones and terminates every worker. */
  close(): Promise<void>;
}

interface Slot {
  worker: Promise<Tesseract.Worker> | undefined;
  /** The job running on this worker and how to abandon it. */
  running: { job: Job; timer: NodeJS.Timeout } | undefined;
}

interface Job {
  image: Buffer | string;
  resolve: (result: OcrResult) => void;
  reject: (error: unknown) => void;
}

export const defaultPoolSize = (): number => Math.max(1, Math.min(2, availableParallelism()));

async function startWorker(langPath: string): Promise<Tesseract.Worker> {
  assertLocalLangPath(langPath);
  // tesseract.js reports some failures (a model that cannot be loaded) only to errorHandler,
  // leaving createWorker pending, and throws from its message handler when there is none.
  let failStart: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    failStart = reject;
  });
  const starting = Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, {
    langPath,
    gzip: true,
    cacheMethod: 'none',
    // tesseract.js passes this to `new Worker()`, which accepts a URL; its typings say string.
    workerPath: offlineWorkerUrl() as unknown as string,
    workerBlobURL: false,
    errorHandler: (error: unknown) => failStart(new Error(String(error))),
  });
  const worker = await Promise.race([starting, failed]);
  await worker.setParameters({
    tessedit_pageseg_mode: Tesseract.PSM.AUTO,
    // Sauvola's local thresholding: chat bubbles of another shade than the page keep their text
    // (a global Otsu threshold turns mid-grey bubbles black and loses what is written in them).
    thresholding_method: '2',
    // Preprocessing already turns light-on-dark text dark-on-light; retrying lines inverted only costs time.
    tessedit_do_invert: '0',
    // Tesseract's diagnostics ("Estimating resolution as …") would otherwise go to stderr.
    debug_file: '/dev/null',
  });
  return worker;
}

const unavailable = (error: unknown): AppError =>
  error instanceof AppError
    ? error
    : new AppError(
        'not_ready',
        `Text recognition is unavailable: ${error instanceof Error ? error.message : String(error)}`,
      );

const shutDown = (): AppError => new AppError('not_ready', 'Text recognition has been shut down.');

export function createOcrPool(options: OcrPoolOptions = {}): OcrPool {
  const size = Math.max(1, options.size ?? defaultPoolSize());
  const maxQueue = options.maxQueue ?? 32;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const langPath = options.langPath ?? localLangPath();
  const slots: Slot[] = Array.from({ length: size }, () => ({ worker: undefined, running: undefined }));
  const queue: Job[] = [];
  let closed = false;

  const discard = (slot: Slot): void => {
    const worker = slot.worker;
    slot.worker = undefined;
    void worker?.then((w) => w.terminate()).catch(() => undefined);
  };

  async function run(slot: Slot, job: Job): Promise<OcrResult> {
    const prepared = await prepareForOcr(job.image, options.preprocess).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError('file_corrupt', `The image could not be decoded for text recognition: ${reason}`);
    });
    // Timed out or shut down meanwhile: leave the worker to whatever runs on the slot now.
    if (slot.running?.job !== job) throw new AppError('not_ready', 'Text recognition was abandoned.');
    try {
      slot.worker ??= startWorker(langPath);
      const worker = await slot.worker;
      const { data } = await worker.recognize(prepared.image, {}, { blocks: true, text: false });
      return {
        words: wordsFromBlocks(data.blocks, prepared.scale, prepared.width, prepared.height),
        width: prepared.width,
        height: prepared.height,
      };
    } catch (error) {
      discard(slot);
      throw unavailable(error);
    }
  }

  /** Ends the slot's running job (if it is still this one) and starts the next. */
  function settle(slot: Slot, job: Job, outcome: () => void): void {
    if (slot.running?.job !== job) return;
    clearTimeout(slot.running.timer);
    slot.running = undefined;
    outcome();
    dispatch();
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (slot.running || closed) continue;
      const job = queue.shift();
      if (!job) return;
      const timer = setTimeout(() => {
        // A recognition cannot be cancelled inside tesseract: drop the worker; a new one starts lazily.
        discard(slot);
        settle(slot, job, () =>
          job.reject(
            new AppError('not_ready', `Text recognition took longer than ${timeoutMs} ms; try again later.`),
          ),
        );
      }, timeoutMs);
      slot.running = { job, timer };
      run(slot, job).then(
        (result) => settle(slot, job, () => job.resolve(result)),
        (error: unknown) => settle(slot, job, () => job.reject(error)),
      );
    }
  }

  return {
    recognize(image) {
      if (closed) return Promise.reject(shutDown());
      const idle = slots.some((slot) => !slot.running);
      if (!idle && queue.length >= maxQueue) {
        return Promise.reject(
          new AppError(
            'not_ready',
            `Text recognition is busy (${queue.length} images waiting); retry in a minute.`,
          ),
        );
      }
      return new Promise<OcrResult>((resolve, reject) => {
        queue.push({ image, resolve, reject });
        dispatch();
      });
    },
    stats() {
      return {
        size,
        started: slots.filter((slot) => slot.worker !== undefined).length,
        busy: slots.filter((slot) => slot.running !== undefined).length,
        queued: queue.length,
      };
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(shutDown());
      const workers = slots.map((slot) => slot.worker);
      for (const slot of slots) {
        slot.worker = undefined;
        const running = slot.running;
        if (running) settle(slot, running.job, () => running.job.reject(shutDown()));
      }
      await Promise.all(workers.map((worker) => worker?.then((w) => w.terminate()).catch(() => undefined)));
    },
  };
}
