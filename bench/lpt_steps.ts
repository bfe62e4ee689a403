/**
 * The LPT steps the benchmark times, written as the phase executor (runtime/run/phase.ts) runs
 * them: the query outside the gradient, tf.variableGrads over the phase's trainable variables,
 * then one SGD update. Each step reads its loss (or logits) back, so the work is finished when
 * it returns, and disposes everything it made.
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyHead } from '../runtime/model/head.ts';
import { forwardPrompted, forwardQuery, type LptModel, predictLogits, trainableVariables } from '../runtime/model/lpt_model.ts';
import { QueryCache } from '../runtime/model/query_cache.ts';
import { crossEntropy } from '../runtime/train/losses/cross_entropy.ts';
import { createSgd } from '../runtime/train/optim.ts';
import { BENCH_VIT, type BenchModels, CLASSES, LR, type Phase } from './config.ts';

export type Step = () => void;

export interface BenchBatch {
  readonly x: tf.Tensor4D;
  readonly labels: tf.Tensor1D;
  /** Dataset indices of the images (0 .. B-1), the query cache's keys. */
  readonly indices: Int32Array;
}

/** The query q(x): from the cache when there is one (after its first step every lookup hits). */
function queryOf(model: LptModel, data: BenchBatch, cache: QueryCache | null): tf.Tensor2D {
  if (cache === null) return tf.tidy(() => forwardQuery(model, data.x));
  return cache.lookup(data.indices, (m) => tf.tidy(() => forwardQuery(model, tf.gather(data.x, m.positions))));
}

export function createBenchBatch(batch: number, seed = 1): BenchBatch {
  const { channels, imageSize } = BENCH_VIT;
  return {
    x: tf.randomNormal([batch, channels, imageSize, imageSize], 0, 1, 'float32', seed),
    labels: tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([batch], 0, CLASSES, 'float32', seed + 1)), 'int32') as tf.Tensor1D),
    indices: Int32Array.from({ length: batch }, (_, i) => i),
  };
}

function trainStep(model: LptModel, trainable: tf.Variable[], data: BenchBatch, withQuery: boolean, cache: QueryCache | null): Step {
  const optimizer = createSgd(trainable);
  const head = model.head!;
  return () => {
    const query = withQuery ? queryOf(model, data, cache) : null;
    const { value, grads } = tf.variableGrads(() => {
      const { features, selection } = forwardPrompted(model, data.x, query);
      const ce = crossEntropy(applyHead(head, features, true), data.labels, { scale: head.scale });
      if (selection === null) return ce;
      return tf.sub(ce, tf.mul(tf.mean(tf.sum(selection.selectedSimilarity, 1)), 0.5)) as tf.Scalar;
    }, trainable);
    value.dataSync();
    optimizer.apply(grads, LR);
    tf.dispose([value, ...Object.values(grads), ...(query === null ? [] : [query])]);
  };
}

function inferStep(model: LptModel, data: BenchBatch, cache: QueryCache | null): Step {
  return () => {
    let classes: tf.Tensor;
    if (cache === null) classes = tf.tidy(() => tf.argMax(predictLogits(model, data.x), 1));
    else {
      const query = queryOf(model, data, cache);
      classes = tf.tidy(() => tf.argMax(applyHead(model.head!, forwardPrompted(model, data.x, query).features, false), 1));
      query.dispose();
    }
    classes.dataSync();
    classes.dispose();
  };
}

/** With `queryCache`, phase 2 and inference take the query from a cache keyed by image index. */
export function createLptStep(models: BenchModels, phase: Phase, data: BenchBatch, queryCache = false): Step {
  const cache = queryCache && phase !== '1' ? new QueryCache(data.indices.length, models.phase2.backbone.config.dim) : null;
  if (phase === '1') return trainStep(models.phase1, trainableVariables(models.phase1, ['shared', 'head']), data, false, null);
  if (phase === '2') return trainStep(models.phase2, trainableVariables(models.phase2, ['pool', 'keys', 'head']), data, true, cache);
  return inferStep(models.phase2, data, cache);
}
