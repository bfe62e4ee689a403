/**
 * The process's image loading for file datasets: which decoder, how many worker processes, how
 * many batches training reads ahead. The command line sets it from the environment
 * (image_loading_env.ts: LPT_DECODER, LPT_DATA_WORKERS, LPT_PREFETCH) before a run; nothing
 * here reads the environment. The loader itself is made once, on first use.
 */
import { availableParallelism } from 'node:os';
import { type DecoderName, chooseDecoder } from './decoder.ts';
import { type ImageLoader, inThreadLoader } from './image_job.ts';
import { startImagePool } from './pool.ts';

export interface ImageLoading {
  /** undefined: sharp when it loads, else the JavaScript decoders. */
  readonly decoder?: DecoderName;
  /** Who asked for the decoder, for the run's report (e.g. "LPT_DECODER"). */
  readonly decoderSource?: string;
  /** Worker processes; 0 decodes in the main thread. */
  readonly workers: number;
  /** Training steps whose batches are loaded ahead of the one being trained. */
  readonly readAhead: number;
}

/** One worker per core but one (the training step keeps a core), at most 8. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(8, availableParallelism() - 1));
}

let settings: ImageLoading = { workers: defaultWorkerCount(), readAhead: 2 };
let shared: Promise<ImageLoader> | undefined;

export function configureImageLoading(next: ImageLoading): void {
  if (shared !== undefined) throw new Error('configureImageLoading must be called before the first image is loaded');
  settings = next;
}

/** Whether the first image has been loaded (and the loading settings are fixed). */
export function imageLoadingStarted(): boolean {
  return shared !== undefined;
}

export function imageLoading(): ImageLoading {
  return settings;
}

export function defaultLoader(): Promise<ImageLoader> {
  shared ??= (async () => {
    const decoder = await chooseDecoder(settings.decoder, settings.decoderSource);
    return settings.workers === 0 ? inThreadLoader(decoder) : startImagePool(settings.workers, decoder);
  })();
  return shared;
}
