/**
 * The process's image loader for file datasets, made once on first use: the decoder of
 * chooseDecoder() in a pool of `LPT_DATA_WORKERS` worker threads (default: one per core but
 * one, at most 8; 0 loads in the main thread).
 */
import { availableParallelism } from 'node:os';
import { chooseDecoder } from './decoder.ts';
import { type ImageLoader, inThreadLoader } from './image_job.ts';
import { startImagePool } from './pool.ts';

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(8, availableParallelism() - 1));
}

export function parseWorkerCount(value: string | undefined): number {
  if (value === undefined || value === '') return defaultWorkerCount();
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`LPT_DATA_WORKERS must be a whole number >= 0, got '${value}'`);
  return n;
}

let shared: Promise<ImageLoader> | undefined;

export function defaultLoader(): Promise<ImageLoader> {
  shared ??= (async () => {
    const decoder = await chooseDecoder();
    const workers = parseWorkerCount(process.env.LPT_DATA_WORKERS);
    return workers === 0 ? inThreadLoader(decoder) : startImagePool(workers, decoder);
  })();
  return shared;
}
