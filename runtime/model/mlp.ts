/**
 * The transformer block's MLP, fc1 -> activation -> fc2 (timm `Mlp`), and the activations:
 * exact GELU 0.5 x (1 + erf(x / sqrt 2)) (Hendrycks & Gimpel, arXiv 1606.08415; torch's default)
 * and CLIP's QuickGELU x * sigmoid(1.702 x). With the native addon built, GELU runs as one fused
 * kernel when the caller asks for it (fused_ops.ts; lever LPT_GELU).
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyFrozenLinear, disposeFrozenLinear, type FrozenLinear } from './frozen_linear.ts';
import { fusedGelu } from './fused_ops.ts';
import type { Activation } from './vit_config.ts';

export interface MlpParams {
  readonly fc1: FrozenLinear; // [D] -> [H]
  readonly fc2: FrozenLinear; // [H] -> [D]
  readonly activation: Activation;
}

export function gelu(x: tf.Tensor, path: 'fused' | 'ops' = 'ops'): tf.Tensor {
  if (path === 'fused') return fusedGelu(x);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

export function quickGelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(tf.mul(x, 1.702)));
}

export function activate(activation: Activation, x: tf.Tensor, path: 'fused' | 'ops' = 'ops'): tf.Tensor {
  return activation === 'gelu' ? gelu(x, path) : quickGelu(x);
}

/** x [..., D] -> [..., D]. */
export function mlp(p: MlpParams, x: tf.Tensor, geluPath: 'fused' | 'ops' = 'ops'): tf.Tensor {
  return applyFrozenLinear(p.fc2, activate(p.activation, applyFrozenLinear(p.fc1, x), geluPath));
}

export function disposeMlp(p: MlpParams): void {
  disposeFrozenLinear(p.fc1);
  disposeFrozenLinear(p.fc2);
}
