/**
 * The transformer block's MLP, fc1 -> activation -> fc2 (timm `Mlp`), and the activations:
 * exact GELU 0.5 x (1 + erf(x / sqrt 2)) (Hendrycks & Gimpel, arXiv 1606.08415; torch's default)
 * and CLIP's QuickGELU x * sigmoid(1.702 x). With the native addon built, the MLP's GELU may run
 * as one fused kernel (fused_ops.ts; the params' gelu, lever LPT_GELU).
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyFrozenLinear, disposeFrozenLinear } from './frozen_linear.ts';
import { fusedGelu } from './fused_ops.ts';
import type { MlpParams } from './params.ts';

export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

export function quickGelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(tf.mul(x, 1.702)));
}

function activate(p: MlpParams, x: tf.Tensor): tf.Tensor {
  if (p.activation === 'quick_gelu') return quickGelu(x);
  return p.gelu === 'fused' ? fusedGelu(x) : gelu(x);
}

/** x [..., D] -> [..., D]. */
export function mlp(p: MlpParams, x: tf.Tensor): tf.Tensor {
  return applyFrozenLinear(p.fc2, activate(p, applyFrozenLinear(p.fc1, x)));
}

export function disposeMlp(p: MlpParams): void {
  disposeFrozenLinear(p.fc1);
  disposeFrozenLinear(p.fc2);
}
