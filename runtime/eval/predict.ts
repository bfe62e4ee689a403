/**
 * Prediction, the only one: evaluation (`lpt run`) and the inference benchmark both call it.
 * The query pass (or the query cache), the prompted pass, the head without dropout, argmax; the
 * blocks before the pool's first block run once for both passes when the paths say 'reuse'.
 * For LPT++ the same per expert, then the MoE scorer's mixture of their probabilities.
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyHead } from '../model/head.ts';
import { forwardPrefix, forwardPrompted, type LptModel, promptedFromPrefix, sharedPrefixBlocks } from '../model/lpt_model.ts';
import { COMPUTE_QUERIES, queryOf, type QuerySource } from '../model/query.ts';
import { mixture, type Scorer } from '../model/scorer.ts';

/** The final CLS feature of the prompted pass [B, D], inside the caller's tidy. */
function predictFeatures(model: LptModel, x: tf.Tensor, indices: Int32Array, queries: QuerySource): tf.Tensor2D {
  const blocks = sharedPrefixBlocks(model);
  const prefix = blocks === 0 ? null : forwardPrefix(model, x, blocks);
  const query = model.pool === null ? null : queryOf(model, x, indices, queries, prefix);
  return (prefix !== null && query !== null ? promptedFromPrefix(model, prefix, query).features : forwardPrompted(model, x, query).features) as tf.Tensor2D;
}

/** x [B, C, S, S] with dataset indices [B] -> predicted classes [B] (int32; the caller disposes). */
export function predictClasses(model: LptModel, x: tf.Tensor, indices: Int32Array, queries: QuerySource): tf.Tensor1D {
  const head = model.head;
  if (head === null) throw new Error('prediction needs a head');
  return tf.tidy(() => tf.argMax(applyHead(head, predictFeatures(model, x, indices, queries), false), 1) as tf.Tensor1D);
}

/** What an expert gives the MoE scorer for x: class probabilities softmax(s * z) and its feature. */
export interface ExpertOutput {
  readonly probs: tf.Tensor2D;
  readonly features: tf.Tensor2D;
}

/** One expert's outputs on x without dropout (tensors the caller disposes). */
export function expertOutput(model: LptModel, x: tf.Tensor, indices: Int32Array, queries: QuerySource): ExpertOutput {
  const head = model.head;
  if (head === null) throw new Error('an expert needs a head');
  return tf.tidy(() => {
    const features = predictFeatures(model, x, indices, queries);
    return { probs: tf.softmax(tf.mul(applyHead(head, features, false), head.scale)) as tf.Tensor2D, features };
  });
}

/** The mixture's prediction: every expert's output, the scorer's gated mixture, argmax. */
export function predictMixtureClasses(experts: readonly LptModel[], scorer: Scorer, x: tf.Tensor, indices: Int32Array): tf.Tensor1D {
  return tf.tidy(() => {
    const outs = experts.map((m) => expertOutput(m, x, indices, COMPUTE_QUERIES));
    return tf.argMax(mixture(scorer, { probs: outs.map((o) => o.probs), features: outs.map((o) => o.features) }).probs, 1) as tf.Tensor1D;
  });
}
