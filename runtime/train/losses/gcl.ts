/**
 * Gaussian clouded logits (GCL; Li et al., "Long-tailed Visual Recognition via Gaussian Clouded
 * Logit Adjustment", CVPR 2022), as LPT uses them on cosine logits c in [-1, 1]:
 *   a_j   = (log n_max - log n_j) / max_k (log n_max - log n_k)      (cloud size, 0 for the head)
 *   c'_j  = c_j - lambda * |eps_j| * a_j,  eps ~ N(0, (1/3)^2) clamped to [-1, 1], per sample and class
 *   c'_y -= m                                                          (margin on the target)
 *   GCL   = CE(s * c', y)
 * The noise is an input (a tensor, or an Rng to draw it from) so runs are reproducible and
 * fixtures can fix it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Rng, normalArray } from '../rng.ts';
import { type Labels, assertLogits, classCounts, oneHotTargets, softTargetNll } from './common.ts';

/**
 * Raw eps samples [B, C] (before clamping), a stream to draw them from with std 1/3, or a
 * function giving a micro-batch's rows of a whole batch's draw (runtime/train/batch_noise.ts).
 */
export type NoiseSource =
  | { readonly noise: tf.Tensor2D }
  | { readonly rng: Rng }
  | { readonly rows: (rows: number, classes: number) => Float32Array };

export const GCL_NOISE_STD = 1 / 3;

export interface CloudOptions {
  /** Cloud strength lambda (default 0.5). */
  readonly lambda?: number;
  /** Margin m subtracted from the target logit (default 0.1). */
  readonly margin?: number;
}

export interface GclOptions extends CloudOptions {
  /** Logit scale s (default 20). */
  readonly scale?: number;
}

/**
 * Normalised cloud sizes a_j. A class without images counts as one image; when every class has
 * the same count there is no imbalance and every cloud is 0 (the reference code divides 0 by 0).
 */
export function cloudSizes(counts: ArrayLike<number>): Float32Array {
  const logs = Array.from(counts, (n) => Math.log(Math.max(n, 1)));
  const top = Math.max(...logs);
  const raw = logs.map((l) => top - l);
  const largest = Math.max(...raw);
  return Float32Array.from(raw, (a) => (largest > 0 ? a / largest : 0));
}

function noiseTensor(source: NoiseSource, rows: number, classes: number): tf.Tensor2D {
  if ('noise' in source) {
    const [r, c] = source.noise.shape;
    if (r !== rows || c !== classes) throw new Error(`GCL noise is [${r}, ${c}], logits are [${rows}, ${classes}]`);
    return source.noise;
  }
  if ('rows' in source) return tf.tensor2d(source.rows(rows, classes), [rows, classes]);
  return tf.tensor2d(normalArray(source.rng, rows * classes, GCL_NOISE_STD), [rows, classes]);
}

/** The clouded, margined cosine logits c' (unscaled), [B, C]. */
export function cloudedLogits(
  cosine: tf.Tensor2D,
  labels: Labels,
  counts: ArrayLike<number>,
  source: NoiseSource,
  options: CloudOptions = {},
): tf.Tensor2D {
  assertLogits(cosine, labels, 'GCL');
  const [rows, classes] = cosine.shape;
  const sizes = cloudSizes(classCounts(counts, classes, 'GCL'));
  return tf.tidy(() => {
    const eps = tf.abs(tf.clipByValue(noiseTensor(source, rows, classes), -1, 1));
    const cloud = tf.mul(tf.mul(eps, tf.tensor1d(sizes)), options.lambda ?? 0.5);
    const margin = tf.mul(oneHotTargets(labels, classes), options.margin ?? 0.1);
    return tf.sub(tf.sub(cosine, cloud), margin);
  });
}

export function gclLoss(
  cosine: tf.Tensor2D,
  labels: Labels,
  counts: ArrayLike<number>,
  source: NoiseSource,
  options: GclOptions = {},
): tf.Scalar {
  return tf.tidy(() => {
    const z = tf.mul(cloudedLogits(cosine, labels, counts, source, options), options.scale ?? 20);
    return softTargetNll(tf.logSoftmax(z), oneHotTargets(labels, cosine.shape[1]));
  });
}
