/**
 * LayerNorm over the last axis (Ba et al., arXiv 1607.06450), as torch.nn.LayerNorm:
 * biased variance, eps inside the square root, elementwise affine. With the native addon built it
 * may run as one fused kernel (fused_ops.ts; the params' kernel, lever LPT_LAYERNORM).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedLayerNorm } from './fused_ops.ts';
import type { LayerNormParams } from './params.ts';
import { frozenVariable } from './variables.ts';

export function frozenLayerNorm(
  weight: tf.Tensor,
  bias: tf.Tensor,
  eps: number,
  kernel: LayerNormParams['kernel'] = 'ops',
): LayerNormParams {
  return { weight: frozenVariable(() => weight.clone()), bias: frozenVariable(() => bias.clone()), eps, kernel };
}

/** x [..., D] -> [..., D]. */
export function layerNorm(p: LayerNormParams, x: tf.Tensor): tf.Tensor {
  if (p.kernel === 'fused') return fusedLayerNorm(x, p.weight, p.bias, p.eps);
  const centered = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centered), -1, true);
  const normed = tf.mul(centered, tf.rsqrt(tf.add(variance, p.eps)));
  return tf.add(tf.mul(normed, p.weight), p.bias);
}

export function disposeLayerNorm(p: LayerNormParams): void {
  tf.dispose([p.weight, p.bias]);
}
