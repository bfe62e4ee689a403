/**
 * Focal loss (Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017), softmax form:
 * FL = mean_b -(1 - p_y)^gamma * log p_y on scaled logits s * z. gamma 0 is cross-entropy.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Labels, assertLogits, oneHotTargets } from './common.ts';

export interface FocalOptions {
  /** Default 2. */
  readonly gamma?: number;
  /** Default 1. */
  readonly scale?: number;
}

export function focalLoss(logits: tf.Tensor2D, labels: Labels, options: FocalOptions = {}): tf.Scalar {
  assertLogits(logits, labels, 'focal loss');
  return tf.tidy(() => {
    const z = tf.mul(logits, options.scale ?? 1);
    const logPy = tf.sum(tf.mul(tf.logSoftmax(z), oneHotTargets(labels, logits.shape[1])), 1);
    const gamma = options.gamma ?? 2;
    const weight = gamma === 0 ? tf.onesLike(logPy) : tf.pow(tf.sub(1, tf.exp(logPy)), gamma);
    return tf.neg(tf.mean(tf.mul(weight, logPy))) as tf.Scalar;
  });
}
