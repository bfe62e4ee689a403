/**
 * Softmax cross-entropy on scaled logits, CE(s * z, y): the plain loss of VPT-style baselines.
 * With a cosine classifier z is the cosine logit and s its scale (LPT: 20); a linear head uses
 * s = 1. Optional label smoothing mixes the one-hot target with the uniform distribution.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Labels, assertLogits, oneHotTargets, softTargetNll } from './common.ts';

export interface CrossEntropyOptions {
  /** Multiplies the logits first (default 1). */
  readonly scale?: number;
  /** Target = (1 - eps) * one-hot + eps / C (default 0). */
  readonly labelSmoothing?: number;
}

export function crossEntropy(logits: tf.Tensor2D, labels: Labels, options: CrossEntropyOptions = {}): tf.Scalar {
  assertLogits(logits, labels, 'cross-entropy');
  return tf.tidy(() => {
    const classes = logits.shape[1];
    const z = options.scale === undefined || options.scale === 1 ? logits : tf.mul(logits, options.scale);
    let targets = oneHotTargets(labels, classes);
    const eps = options.labelSmoothing ?? 0;
    if (eps > 0) targets = tf.add(tf.mul(targets, 1 - eps), eps / classes);
    return softTargetNll(tf.logSoftmax(z), targets);
  });
}
