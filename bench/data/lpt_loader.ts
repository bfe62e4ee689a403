/**
 * Timing lpt's loader the way training uses it: batches in dataset order, each one's images
 * queued to the worker pool with the next batches read ahead (runtime/data/pipeline/prefetch.ts),
 * the best of `rounds` full passes after one warm-up batch (the workers are started by then).
 */
import { type Batch, loadBatch } from '../../runtime/data/batch.ts';
import type { FileDataset } from '../../runtime/data/dataset.ts';
import type { DecoderChoice } from '../../runtime/data/pipeline/decoder.ts';
import { type ImageLoader, inThreadLoader } from '../../runtime/data/pipeline/image_job.ts';
import { startImagePool } from '../../runtime/data/pipeline/pool.ts';
import { Prefetcher } from '../../runtime/data/pipeline/prefetch.ts';
import type { TransformSpec } from '../../runtime/data/transforms.ts';

export interface LoaderTiming {
  readonly img_per_s: number;
  readonly seconds: number;
  readonly images: number;
}

const NOTHING: Batch = {
  images: new Float32Array(0),
  shape: [0, 0, 0, 0],
  labels: new Int32Array(0),
  indices: new Int32Array(0),
};

/**
 * Batches in dataset order (wrapping around), reading `depth` ahead; with `onePass`, nothing is
 * read ahead past the last batch (a timed pass must not decode the next pass's images).
 */
export function batchReader(
  dataset: FileDataset,
  transforms: readonly TransformSpec[],
  batch: number,
  loader: ImageLoader,
  depth = 2,
  onePass = false,
): Prefetcher<number, Batch> {
  const n = dataset.labels.length;
  const batches = Math.ceil(n / batch);
  const load = (b: number) => {
    if (onePass && b >= batches) return Promise.resolve(NOTHING);
    const start = (b % batches) * batch;
    const indices = Int32Array.from({ length: Math.min(batch, n - start) }, (_, i) => start + i);
    return loadBatch(dataset, indices, transforms, { seed: 0, keys: ['bench', b] }, loader);
  };
  return new Prefetcher(load, (b) => b + 1, String, depth);
}

export async function withLoader<T>(
  workers: number,
  decoder: DecoderChoice,
  use: (loader: ImageLoader) => Promise<T>,
): Promise<T> {
  if (workers === 0) return use(inThreadLoader(decoder));
  const pool = await startImagePool(workers, decoder);
  try {
    return await use(pool);
  } finally {
    await pool.close();
  }
}

export async function timeLptLoader(
  dataset: FileDataset,
  transforms: readonly TransformSpec[],
  options: { workers: number; batch: number; rounds: number; decoder: DecoderChoice },
): Promise<LoaderTiming> {
  const batches = Math.ceil(dataset.labels.length / options.batch);
  return withLoader(options.workers, options.decoder, async (loader) => {
    const warm = batchReader(dataset, transforms, options.batch, loader, 0);
    await warm.take(0);
    let best = Infinity;
    for (let round = 0; round < options.rounds; round++) {
      const reader = batchReader(dataset, transforms, options.batch, loader, 2, true);
      const started = performance.now();
      for (let b = 0; b < batches; b++) await reader.take(b);
      best = Math.min(best, (performance.now() - started) / 1000);
    }
    return { img_per_s: dataset.labels.length / best, seconds: best, images: dataset.labels.length };
  });
}
