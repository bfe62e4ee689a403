/**
 * Single-label asymmetric loss (ASL; Ridnik et al., "Asymmetric Loss For Multi-Label
 * Classification", ICCV 2021, single-label variant) and A-GCL, LPT's loss: ASL on GCL's clouded,
 * margined, scaled logits. With p = softmax(z) and a label-smoothed target t:
 *   w_y = (1 - p_y)^gamma_pos,   w_j = p_j^gamma_neg (j != y)
 *   ASL = mean_b -sum_j t_j * w_j * log p_j
 * As in the reference code the weights are not detached: gradients flow through them too.
 * LPT's defaults: gamma_pos 0, gamma_neg 4 on class-balanced batches; 0.5 and 8 on instance
 * batches; smoothing 0.1.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Labels, assertLogits, oneHotTargets, softTargetNll } from './common.ts';
import { type CloudOptions, type NoiseSource, cloudedLogits } from './gcl.ts';

export interface AsymmetricOptions {
  readonly gammaPos?: number;
  readonly gammaNeg?: number;
  /** Label smoothing eps: t = (1 - eps) * one-hot + eps / C (default 0.1). */
  readonly smoothing?: number;
}

export const BALANCED_BATCH_GAMMAS = { gammaPos: 0, gammaNeg: 4 } as const;
export const INSTANCE_BATCH_GAMMAS = { gammaPos: 0.5, gammaNeg: 8 } as const;

/** base^gamma, skipping the pow when gamma is 0 so that base 0 gives weight 1 and gradient 0. */
function power(base: tf.Tensor, gamma: number): tf.Tensor {
  return gamma === 0 ? tf.onesLike(base) : tf.pow(base, gamma);
}

/** ASL on logits z (already scaled), [B, C]. */
export function asymmetricLoss(logits: tf.Tensor2D, labels: Labels, options: AsymmetricOptions = {}): tf.Scalar {
  assertLogits(logits, labels, 'asymmetric loss');
  return tf.tidy(() => {
    const classes = logits.shape[1];
    const onehot = oneHotTargets(labels, classes);
    const logProbs = tf.logSoftmax(logits);
    const probs = tf.exp(logProbs);
    const targetWeight = power(tf.sub(1, probs), options.gammaPos ?? 0);
    const otherWeight = power(probs, options.gammaNeg ?? 4);
    const weights = tf.add(tf.mul(onehot, targetWeight), tf.mul(tf.sub(1, onehot), otherWeight));
    const eps = options.smoothing ?? 0.1;
    const targets = tf.add(tf.mul(onehot, 1 - eps), eps / classes);
    return softTargetNll(tf.mul(weights, logProbs), targets);
  });
}

export interface AgclOptions extends CloudOptions, AsymmetricOptions {
  /** Logit scale s (default 20). */
  readonly scale?: number;
}

/** A-GCL on cosine logits [B, C]. */
export function agclLoss(
  cosine: tf.Tensor2D,
  labels: Labels,
  counts: ArrayLike<number>,
  source: NoiseSource,
  options: AgclOptions = {},
): tf.Scalar {
  return tf.tidy(() => {
    const z = tf.mul(cloudedLogits(cosine, labels, counts, source, options), options.scale ?? 20);
    return asymmetricLoss(z as tf.Tensor2D, labels, options);
  });
}
