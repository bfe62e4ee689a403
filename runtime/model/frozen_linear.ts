/**
 * A frozen dense layer y = x W^T + b whose backward pass is one plain matMul.
 *
 * The PyTorch weight [out, in] is converted once at load into two non-trainable copies:
 * `weightIO` [in, out] for the forward product and `weightOI` [out, in] for the input gradient
 * dx = dy W. tfjs's own matMul gradient would use the transposed forms, which the wasm backend
 * runs about ten times slower than a plain matMul (docs/PERFORMANCE.md, "Where the time went at
 * the start"); the custom gradient keeps the whole backward pass on the fast path. No gradient flows to the weights:
 * backbone weights are frozen by construction. The price is twice the weight memory.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withGradient } from './custom_grad.ts';
import { frozenVariable } from './variables.ts';

export interface FrozenLinear {
  readonly weightIO: tf.Variable; // [in, out]
  readonly weightOI: tf.Variable; // [out, in], the PyTorch layout
  readonly bias: tf.Variable | null; // [out]
}

/** From a PyTorch nn.Linear weight [out, in] and bias [out]; the inputs stay owned by the caller. */
export function frozenLinearFromTorch(weight: tf.Tensor, bias: tf.Tensor | null): FrozenLinear {
  return {
    weightIO: frozenVariable(() => tf.transpose(weight)),
    weightOI: frozenVariable(() => weight.clone()),
    bias: bias === null ? null : frozenVariable(() => bias.clone()),
  };
}

export function frozenLinearInFeatures(p: FrozenLinear): number {
  return p.weightIO.shape[0] as number;
}

export function frozenLinearOutFeatures(p: FrozenLinear): number {
  return p.weightIO.shape[1] as number;
}

/** x [M, in] -> [M, out]; gradient w.r.t. x only. */
function denseWithPlainGradient(p: FrozenLinear): (x: tf.Tensor) => tf.Tensor2D {
  return withGradient(
    (x) =>
      tf.fused.matMul({ a: x as tf.Tensor2D, b: p.weightIO as tf.Tensor2D, bias: p.bias ?? undefined }) as tf.Tensor2D,
    (dy) => tf.matMul(dy, p.weightOI as tf.Tensor2D),
  );
}

/** x [..., in] -> [..., out]. */
export function applyFrozenLinear(p: FrozenLinear, x: tf.Tensor): tf.Tensor {
  const inFeatures = frozenLinearInFeatures(p);
  const lead = x.shape.slice(0, -1);
  const y = denseWithPlainGradient(p)(tf.reshape(x, [-1, inFeatures]));
  return tf.reshape(y, [...lead, frozenLinearOutFeatures(p)]);
}

export function disposeFrozenLinear(p: FrozenLinear): void {
  tf.dispose([p.weightIO, p.weightOI, ...(p.bias === null ? [] : [p.bias])]);
}
