/**
 * The transformer block's MLP, fc1 -> activation -> fc2 (timm `Mlp`), and the activations:
 * exact GELU 0.5 x (1 + erf(x / sqrt 2)) (Hendrycks & Gimpel, arXiv 1606.08415; torch's default)
 * and CLIP's QuickGELU x * sigmoid(1.702 x). With the native addon built, the MLP's GELU may run
 * as one fused kernel (fused_ops.ts; the params' gelu, lever LPT_GELU). The activation's input
 * gradient from its input (activationGrad) serves the block's own gradient (block_grad.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyFrozenLinear, disposeFrozenLinear } from './frozen_linear.ts';
import { fusedGelu, fusedGeluGrad } from './fused_ops.ts';
import type { MlpParams } from './params.ts';

const QUICK_GELU = 1.702;

/** Phi(x) = 0.5 (1 + erf(x / sqrt 2)), the standard normal CDF. */
function normalCdf(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1), 0.5);
}

export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, normalCdf(x));
}

export function quickGelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(tf.mul(x, QUICK_GELU)));
}

/** The MLP's activation of a = fc1(x). */
export function activate(p: MlpParams, a: tf.Tensor): tf.Tensor {
  if (p.activation === 'quick_gelu') return quickGelu(a);
  return p.gelu === 'fused' ? fusedGelu(a) : gelu(a);
}

/**
 * dy -> d a, from a: GELU' = Phi(a) + a phi(a) (the normal CDF and density); QuickGELU' =
 * s (1 + 1.702 a (1 - s)) with s = sigmoid(1.702 a).
 */
export function activationGrad(p: MlpParams, dy: tf.Tensor, a: tf.Tensor): tf.Tensor {
  if (p.activation === 'quick_gelu') {
    const s = tf.sigmoid(tf.mul(a, QUICK_GELU));
    return tf.mul(dy, tf.mul(s, tf.add(tf.mul(tf.mul(a, QUICK_GELU), tf.sub(1, s)), 1)));
  }
  if (p.gelu === 'fused') return fusedGeluGrad(dy, a);
  const density = tf.mul(tf.exp(tf.mul(tf.square(a), -0.5)), 1 / Math.sqrt(2 * Math.PI));
  return tf.mul(dy, tf.add(normalCdf(a), tf.mul(a, density)));
}

/** x [..., D] -> [..., D]. */
export function mlp(p: MlpParams, x: tf.Tensor): tf.Tensor {
  return applyFrozenLinear(p.fc2, activate(p, applyFrozenLinear(p.fc1, x)));
}

export function disposeMlp(p: MlpParams): void {
  disposeFrozenLinear(p.fc1);
  disposeFrozenLinear(p.fc2);
}
