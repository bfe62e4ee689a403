/**
 * Where the query q(x) of a batch comes from: a fresh query pass, or a per-image cache when
 * everything the query depends on is frozen and the images are not randomly augmented
 * (query_cache.ts). A fresh pass continues from the shared prefix when the caller has one
 * (lpt_model.ts forwardPrefix). The training step and prediction both go through queryOf.
 */
import * as tf from '@tensorflow/tfjs-core';
import { forwardQuery, type LptModel, type Prefix, queryFromPrefix } from './lpt_model.ts';
import type { QueryCache } from './query_cache.ts';

export type QuerySource = { readonly kind: 'compute' } | { readonly kind: 'cache'; readonly cache: QueryCache };

export const COMPUTE_QUERIES: QuerySource = { kind: 'compute' };

/**
 * x [B, C, S, S] with dataset indices [B] -> q(x) [B, D], a tensor the caller disposes. Async: the
 * cache reads computed queries back with `await data()`, the only read the webgpu backend has.
 */
export async function queryOf(
  model: LptModel,
  x: tf.Tensor,
  indices: Int32Array,
  source: QuerySource,
  prefix: Prefix | null = null,
): Promise<tf.Tensor2D> {
  const compute = (rows: tf.Tensor1D | null) => {
    if (prefix === null) return forwardQuery(model, rows === null ? x : tf.gather(x, rows));
    return queryFromPrefix(
      model,
      rows === null ? prefix : { tokens: tf.gather(prefix.tokens, rows), blocks: prefix.blocks },
    );
  };
  if (source.kind === 'compute') return tf.tidy(() => compute(null));
  return source.cache.lookup(indices, (missing) => tf.tidy(() => compute(tf.tensor1d(missing.positions, 'int32'))));
}
