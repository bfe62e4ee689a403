/**
 * Logit adjustment (Menon et al., "Long-tail learning via logit adjustment", ICLR 2021) and
 * balanced softmax (Ren et al., NeurIPS 2020): CE(s * z + tau * log prior, y), prior_j = n_j / N.
 * Balanced softmax is tau = 1. Only for training; evaluation uses the plain logits.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Labels, assertLogits, classCounts, oneHotTargets, softTargetNll } from './common.ts';

export interface LogitAdjustedOptions {
  /** Default 1 (balanced softmax). */
  readonly tau?: number;
  /** Default 1. */
  readonly scale?: number;
}

/** log(n_j / N) per class; a class without images counts as one. */
export function logPrior(counts: ArrayLike<number>): Float32Array {
  const n = Array.from(counts, (c) => Math.max(c, 1));
  const total = n.reduce((a, b) => a + b, 0);
  return Float32Array.from(n, (c) => Math.log(c / total));
}

export function logitAdjustedLoss(
  logits: tf.Tensor2D,
  labels: Labels,
  counts: ArrayLike<number>,
  options: LogitAdjustedOptions = {},
): tf.Scalar {
  assertLogits(logits, labels, 'logit-adjusted loss');
  const classes = logits.shape[1];
  const prior = logPrior(classCounts(counts, classes, 'logit-adjusted loss'));
  return tf.tidy(() => {
    const z = tf.add(tf.mul(logits, options.scale ?? 1), tf.mul(tf.tensor1d(prior), options.tau ?? 1));
    return softTargetNll(tf.logSoftmax(z), oneHotTargets(labels, classes));
  });
}

export function balancedSoftmaxLoss(
  logits: tf.Tensor2D,
  labels: Labels,
  counts: ArrayLike<number>,
  scale = 1,
): tf.Scalar {
  return logitAdjustedLoss(logits, labels, counts, { tau: 1, scale });
}
