/**
 * LayerNorm over the last axis (Ba et al., arXiv 1607.06450), as torch.nn.LayerNorm:
 * biased variance, eps inside the square root, elementwise affine. With the native addon built it
 * may run as one fused kernel (fused_ops.ts; the params' kernel, lever LPT_LAYERNORM). The input
 * gradient from the input and the row statistics (layerNormGrad) serves the block's own gradient
 * (block_grad.ts); the weights are frozen, so no gradient reaches them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedLayerNorm, fusedLayerNormGrad, fusedLayerNormWithStats } from './fused_ops.ts';
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
  return p.kernel === 'fused' ? fusedLayerNorm(x, p.weight, p.bias, p.eps) : layerNormWithStats(p, x).y;
}

/** LayerNorm(x) and each row's mean and 1 / sqrt(variance + eps) [..., 1]. */
export function layerNormWithStats(
  p: LayerNormParams,
  x: tf.Tensor,
): { readonly y: tf.Tensor; readonly mean: tf.Tensor; readonly rstd: tf.Tensor } {
  if (p.kernel === 'fused') return fusedLayerNormWithStats(x, p.weight, p.bias, p.eps);
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), p.eps));
  return { y: tf.add(tf.mul(tf.mul(centered, rstd), p.weight), p.bias), mean, rstd };
}

/** dy [..., D] -> dx: with g = dy w and x^ = (x - mean) rstd, rstd (g - mean(g) - x^ mean(g x^)). */
export function layerNormGrad(
  p: LayerNormParams,
  dy: tf.Tensor,
  x: tf.Tensor,
  mean: tf.Tensor,
  rstd: tf.Tensor,
): tf.Tensor {
  if (p.kernel === 'fused') return fusedLayerNormGrad(dy, x, p.weight, mean, rstd);
  const normed = tf.mul(tf.sub(x, mean), rstd);
  const g = tf.mul(dy, p.weight);
  const inner = tf.sub(tf.sub(g, tf.mean(g, -1, true)), tf.mul(normed, tf.mean(tf.mul(g, normed), -1, true)));
  return tf.mul(inner, rstd);
}

export function disposeLayerNorm(p: LayerNormParams): void {
  tf.dispose([p.weight, p.bias]);
}
