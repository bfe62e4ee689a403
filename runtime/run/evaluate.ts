/**
 * Per-class accuracy of a model on a split: query pass, prompted pass, head, argmax. Batched to
 * bound memory; each batch is one tidy unit and only a few numbers leave it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadBatch } from '../data/batch.ts';
import { datasetSize } from '../data/dataset.ts';
import type { PerClassResult } from '../eval/shots.ts';
import { predictClasses, predictMixtureClasses } from '../eval/predict.ts';
import type { Scorer } from '../model/scorer.ts';
import type { LptModel } from '../model/lpt_model.ts';
import { COMPUTE_QUERIES } from '../model/query.ts';
import type { PreparedSplit } from '../build/splits.ts';

/** What is evaluated: one expert (or LPT's only model), or the scorer's mixture of experts. */
export type EvalTarget =
  | LptModel
  | { readonly experts: readonly LptModel[]; readonly scorer: Scorer; readonly temperatures?: readonly number[] };

export async function evaluateSplit(
  target: EvalTarget,
  split: PreparedSplit,
  batchSize = 250,
  onProgress?: (done: number, total: number) => void,
  maxBatches = Infinity,
): Promise<PerClassResult> {
  const total = Math.min(datasetSize(split.dataset), maxBatches * batchSize);
  const correct = new Array<number>(split.dataset.classes).fill(0);
  const seen = new Array<number>(split.dataset.classes).fill(0);
  const load = (start: number) => {
    const indices = Int32Array.from({ length: Math.min(batchSize, total - start) }, (_, i) => start + i);
    return loadBatch(split.dataset, indices, split.transforms, { seed: 0, keys: ['evaluate', split.name, start] });
  };
  let next = load(0);
  for (let start = 0; start < total; start += batchSize) {
    const batch = await next;
    // The next batch decodes (in the image workers, for file datasets) while this one is scored.
    if (start + batchSize < total) {
      next = load(start + batchSize);
      next.catch(() => undefined);
    }
    const indices = batch.indices;
    const x = tf.tensor4d(batch.images, [...batch.shape]);
    const predicted = await ('scorer' in target
      ? predictMixtureClasses(target.experts, target.scorer, x, batch.indices, target.temperatures)
      : predictClasses(target, x, batch.indices, COMPUTE_QUERIES));
    x.dispose();
    const labels = await predicted.data();
    predicted.dispose();
    batch.labels.forEach((label, i) => {
      seen[label]! += 1;
      if (labels[i] === label) correct[label]! += 1;
    });
    onProgress?.(start + indices.length, total);
    await new Promise((resolve) => setImmediate(resolve)); // let the UI render between batches
  }
  return { correct, total: seen };
}
