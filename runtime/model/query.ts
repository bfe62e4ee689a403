/**
 * Where the query q(x) of a batch comes from: a fresh query pass, or a per-image cache when
 * everything the query depends on is frozen and the images are not randomly augmented
 * (query_cache.ts). The training step and prediction both go through queryOf.
 */
import * as tf from '@tensorflow/tfjs-core';
import { forwardQuery, type LptModel } from './lpt_model.ts';
import type { QueryCache } from './query_cache.ts';

export type QuerySource = { readonly kind: 'compute' } | { readonly kind: 'cache'; readonly cache: QueryCache };

export const COMPUTE_QUERIES: QuerySource = { kind: 'compute' };

/** x [B, C, S, S] with dataset indices [B] -> q(x) [B, D], a tensor the caller disposes. */
export function queryOf(model: LptModel, x: tf.Tensor, indices: Int32Array, source: QuerySource): tf.Tensor2D {
  if (source.kind === 'compute') return tf.tidy(() => forwardQuery(model, x));
  return source.cache.lookup(indices, (missing) => tf.tidy(() => forwardQuery(model, tf.gather(x, missing.positions))));
}
