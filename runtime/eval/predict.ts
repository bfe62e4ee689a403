/**
 * Prediction, the only one: evaluation (`lpt run`) and the inference benchmark both call it.
 * The query pass (or the query cache), the prompted pass, the head without dropout, argmax.
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyHead } from '../model/head.ts';
import { forwardPrompted, type LptModel } from '../model/lpt_model.ts';
import { queryOf, type QuerySource } from '../model/query.ts';

/** x [B, C, S, S] with dataset indices [B] -> predicted classes [B] (int32; the caller disposes). */
export function predictClasses(model: LptModel, x: tf.Tensor, indices: Int32Array, queries: QuerySource): tf.Tensor1D {
  const head = model.head;
  if (head === null) throw new Error('prediction needs a head');
  return tf.tidy(() => {
    const query = model.pool === null ? null : queryOf(model, x, indices, queries);
    return tf.argMax(applyHead(head, forwardPrompted(model, x, query).features, false), 1) as tf.Tensor1D;
  });
}
