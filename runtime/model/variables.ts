/**
 * Variable construction without stray tensors: tf.variable(t) shares t's data but leaves the
 * tensor object t alive (and counted by tf.memory()), so t is made and released inside a tidy.
 * Freezing is data: backbone weights are made with frozenVariable, modules with trainableVariable.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A non-trainable variable holding make()'s value (make may return a clone of a caller's tensor). */
export function frozenVariable(make: () => tf.Tensor): tf.Variable {
  return tf.tidy(() => tf.variable(make(), false));
}

export function trainableVariable(make: () => tf.Tensor): tf.Variable {
  return tf.tidy(() => tf.variable(make(), true));
}
