/**
 * Prediction, the only one: evaluation (`lpt run`) and the inference benchmark both call it.
 * The query pass (or the query cache), the prompted pass, the head without dropout, argmax.
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyHead } from '../model/head.ts';
import { forwardPrompted, type LptModel } from '../model/lpt_model.ts';
import { queryOf, type QuerySource } from '../model/query.ts';

/** x [B, C, S, S] with dataset indices [B] -> predicted classes [B] (int32; the caller disposes). */
export async function predictClasses(model: LptModel, x: tf.Tensor, indices: Int32Array, queries: QuerySource): Promise<tf.Tensor1D> {
  const head = model.head;
  if (head === null) throw new Error('prediction needs a head');
  const query = model.pool === null ? null : await queryOf(model, x, indices, queries);
  try {
    return tf.tidy(() => tf.argMax(applyHead(head, forwardPrompted(model, x, query).features, false), 1) as tf.Tensor1D);
  } finally {
    query?.dispose();
  }
}
