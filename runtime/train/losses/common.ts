/**
 * Shared pieces of the classification losses: labels as a tensor, one-hot targets, and the
 * class-count arrays the long-tail losses read. Logits are [B, C]; a loss returns a scalar mean
 * over the batch. Every function here is called inside the caller's tf.tidy.
 */
import * as tf from '@tensorflow/tfjs-core';

export type Labels = tf.Tensor1D | Int32Array;

export function labelTensor(labels: Labels): tf.Tensor1D {
  return labels instanceof Int32Array ? tf.tensor1d(labels, 'int32') : labels;
}

/** [B, C] float one-hot of the labels. */
export function oneHotTargets(labels: Labels, classes: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(labelTensor(labels), classes), 'float32') as tf.Tensor2D;
}

export function assertLogits(logits: tf.Tensor, labels: Labels, what: string): asserts logits is tf.Tensor2D {
  if (logits.rank !== 2) throw new Error(`${what}: logits must be [B, C], got [${logits.shape.join(', ')}]`);
  const batch = labels instanceof Int32Array ? labels.length : labels.shape[0];
  if (batch !== logits.shape[0]) throw new Error(`${what}: ${batch} labels for ${logits.shape[0]} rows of logits`);
}

/** Per-class training counts as float64 numbers, checked against the class count. */
export function classCounts(counts: ArrayLike<number>, classes: number, what: string): Float64Array {
  if (counts.length !== classes) throw new Error(`${what}: ${counts.length} class counts for ${classes} classes`);
  return Float64Array.from(counts);
}

/** Mean over the batch of -sum_j targets_j * logProbs_j. */
export function softTargetNll(logProbs: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(targets, logProbs), 1))) as tf.Scalar;
}
