/**
 * Prediction, the only one: evaluation (`lpt run`) and the inference benchmark both call it.
 * The query pass (or the query cache), the prompted pass, the head without dropout, argmax; the
 * blocks before the pool's first block run once for both passes when the paths say 'reuse'.
 * For LPT++ the same per expert, then the MoE scorer's mixture of their probabilities.
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyHead } from '../model/head.ts';
import {
  forwardPrefix,
  forwardPrompted,
  type LptModel,
  promptedFromPrefix,
  sharedPrefixBlocks,
} from '../model/lpt_model.ts';
import { COMPUTE_QUERIES, queryOf, type QuerySource } from '../model/query.ts';
import { mixture, type Scorer } from '../model/scorer.ts';

/** The final CLS feature of the prompted pass [B, D] (the caller disposes). */
export async function predictFeatures(
  model: LptModel,
  x: tf.Tensor,
  indices: Int32Array,
  queries: QuerySource,
): Promise<tf.Tensor2D> {
  const blocks = sharedPrefixBlocks(model);
  const prefix = blocks === 0 ? null : { tokens: tf.tidy(() => forwardPrefix(model, x, blocks).tokens), blocks };
  let query: tf.Tensor2D | null = null;
  try {
    query = model.pool === null ? null : await queryOf(model, x, indices, queries, prefix);
    const q = query;
    return tf.tidy(
      () =>
        (prefix !== null && q !== null
          ? promptedFromPrefix(model, prefix, q).features
          : forwardPrompted(model, x, q).features) as tf.Tensor2D,
    );
  } finally {
    tf.dispose([...(prefix === null ? [] : [prefix.tokens]), ...(query === null ? [] : [query])]);
  }
}

/** x [B, C, S, S] with dataset indices [B] -> predicted classes [B] (int32; the caller disposes). */
export async function predictClasses(
  model: LptModel,
  x: tf.Tensor,
  indices: Int32Array,
  queries: QuerySource,
): Promise<tf.Tensor1D> {
  const head = model.head;
  if (head === null) throw new Error('prediction needs a head');
  const features = await predictFeatures(model, x, indices, queries);
  try {
    return tf.tidy(() => tf.argMax(applyHead(head, features, false), 1) as tf.Tensor1D);
  } finally {
    features.dispose();
  }
}

/** What an expert gives the MoE scorer for x: class probabilities softmax(s * z) and its feature. */
export interface ExpertOutput {
  readonly probs: tf.Tensor2D;
  readonly features: tf.Tensor2D;
}

/**
 * One expert's outputs on x without dropout (tensors the caller disposes); with a temperature T
 * (calibration, runtime/eval/calibration.ts) its probabilities are softmax(s * z / T).
 */
export async function expertOutput(
  model: LptModel,
  x: tf.Tensor,
  indices: Int32Array,
  queries: QuerySource,
  temperature = 1,
): Promise<ExpertOutput> {
  const head = model.head;
  if (head === null) throw new Error('an expert needs a head');
  const features = await predictFeatures(model, x, indices, queries);
  const scale = temperature === 1 ? head.scale : head.scale / temperature;
  return { probs: tf.tidy(() => tf.softmax(tf.mul(applyHead(head, features, false), scale)) as tf.Tensor2D), features };
}

/**
 * The mixture's class probabilities [B, C] (the caller disposes): every expert's output (at its
 * temperature, if any), the scorer's gated mixture.
 */
export async function predictMixtureProbabilities(
  experts: readonly LptModel[],
  scorer: Scorer,
  x: tf.Tensor,
  indices: Int32Array,
  temperatures?: readonly number[],
): Promise<tf.Tensor2D> {
  const outs: ExpertOutput[] = [];
  try {
    for (const [e, m] of experts.entries())
      outs.push(await expertOutput(m, x, indices, COMPUTE_QUERIES, temperatures?.[e] ?? 1));
    return tf.tidy(
      () => mixture(scorer, { probs: outs.map((o) => o.probs), features: outs.map((o) => o.features) }).probs,
    );
  } finally {
    tf.dispose(outs.flatMap((o) => [o.probs, o.features]));
  }
}

/** The mixture's prediction: the argmax of its probabilities. */
export async function predictMixtureClasses(
  experts: readonly LptModel[],
  scorer: Scorer,
  x: tf.Tensor,
  indices: Int32Array,
  temperatures?: readonly number[],
): Promise<tf.Tensor1D> {
  const probs = await predictMixtureProbabilities(experts, scorer, x, indices, temperatures);
  try {
    return tf.argMax(probs, 1) as tf.Tensor1D;
  } finally {
    probs.dispose();
  }
}
