/** L2 normalisation along one axis, as torch.nn.functional.normalize (eps 1e-12). */
import * as tf from '@tensorflow/tfjs-core';

/** x scaled to unit L2 norm along `axis` (cosine similarity, cosine heads). */
export function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.div(x, tf.maximum(tf.sqrt(tf.sum(tf.square(x), axis, true)), 1e-12));
}
