/**
 * LayerNorm over the last axis (Ba et al., arXiv 1607.06450), as torch.nn.LayerNorm:
 * biased variance, eps inside the square root, elementwise affine. With the native addon built it
 * runs as one fused kernel when the caller asks for it (fused_ops.ts; lever LPT_LAYERNORM).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedLayerNorm } from './fused_ops.ts';
import { frozenVariable } from './variables.ts';

export interface LayerNormParams {
  readonly weight: tf.Variable; // [D]
  readonly bias: tf.Variable; // [D]
  readonly eps: number;
}

export function frozenLayerNorm(weight: tf.Tensor, bias: tf.Tensor, eps: number): LayerNormParams {
  return { weight: frozenVariable(() => weight.clone()), bias: frozenVariable(() => bias.clone()), eps };
}

/** x [..., D] -> [..., D]. */
export function layerNorm(p: LayerNormParams, x: tf.Tensor, path: 'fused' | 'ops' = 'ops'): tf.Tensor {
  if (path === 'fused') return fusedLayerNorm(x, p.weight, p.bias, p.eps);
  const centered = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centered), -1, true);
  const normed = tf.mul(centered, tf.rsqrt(tf.add(variance, p.eps)));
  return tf.add(tf.mul(normed, p.weight), p.bias);
}

export function disposeLayerNorm(p: LayerNormParams): void {
  tf.dispose([p.weight, p.bias]);
}
