/**
 * Prediction, the only one: evaluation (`lpt run`) and the inference benchmark both call it.
 * The query pass (or the query cache), the prompted pass, the head without dropout, argmax; the
 * blocks before the pool's first block run once for both passes when the paths say 'reuse'.
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyHead } from '../model/head.ts';
import { forwardPrefix, forwardPrompted, type LptModel, promptedFromPrefix, sharedPrefixBlocks } from '../model/lpt_model.ts';
import { queryOf, type QuerySource } from '../model/query.ts';

/** x [B, C, S, S] with dataset indices [B] -> predicted classes [B] (int32; the caller disposes). */
export async function predictClasses(model: LptModel, x: tf.Tensor, indices: Int32Array, queries: QuerySource): Promise<tf.Tensor1D> {
  const head = model.head;
  if (head === null) throw new Error('prediction needs a head');
  const blocks = sharedPrefixBlocks(model);
  const prefix = blocks === 0 ? null : { tokens: tf.tidy(() => forwardPrefix(model, x, blocks).tokens), blocks };
  let query: tf.Tensor2D | null = null;
  try {
    query = model.pool === null ? null : await queryOf(model, x, indices, queries, prefix);
    const q = query;
    return tf.tidy(() => {
      const features = prefix !== null && q !== null ? promptedFromPrefix(model, prefix, q).features : forwardPrompted(model, x, q).features;
      return tf.argMax(applyHead(head, features, false), 1) as tf.Tensor1D;
    });
  } finally {
    tf.dispose([...(prefix === null ? [] : [prefix.tokens]), ...(query === null ? [] : [query])]);
  }
}
