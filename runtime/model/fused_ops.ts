/**
 * LayerNorm, exact GELU and the attention core as single ops over the native addon's kernels
 * (kernels/native_kernels.ts), each with a hand-written input gradient through tf.customGrad;
 * and a whole transformer block for passes that record no gradient (fusedBlock).
 * One call replaces a chain of tfjs ops (LayerNorm: about ten forward and twenty backward). Used
 * only where kernels/paths.ts says the kernels exist; layer_norm.ts, mlp.ts and attention.ts
 * keep the tfjs-ops versions, which these must match (test/runtime/model/fused_ops.test.ts).
 * Weights are frozen, so no gradient reaches them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FrozenLinear } from './frozen_linear.ts';
import { BLOCK_WEIGHTS, KERNELS } from './kernels/native_kernels.ts';

/** What fusedBlock reads of a block's weights (block.ts's BlockParams, which imports this file, has them). */
interface FusedBlockWeights {
  readonly norm1: FusedNorm;
  readonly attn: { readonly qkv: FrozenLinear; readonly proj: FrozenLinear; readonly heads: number };
  readonly norm2: FusedNorm;
  readonly mlp: { readonly fc1: FrozenLinear; readonly fc2: FrozenLinear };
}
type FusedNorm = { readonly weight: tf.Tensor; readonly bias: tf.Tensor; readonly eps: number };

type CustomGradArg = Parameters<typeof tf.customGrad>[0];
type Save = (tensors: tf.Tensor[]) => void;

function run(name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): tf.Tensor[] {
  const out = tf.engine().runKernel(name, inputs, attrs) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

/** x [..., D] -> LayerNorm(x) with frozen weight and bias [D]. */
export function fusedLayerNorm(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps: number): tf.Tensor {
  const f = tf.customGrad(((input: tf.Tensor, save: Save) => {
    const [y, mean, rstd] = run(KERNELS.layerNorm, { x: input, weight, bias }, { eps }) as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
    save([input, mean, rstd]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, m, r] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        return run(KERNELS.layerNormGrad, { dy, x: xs, weight, mean: m, rstd: r })[0]!;
      },
    };
  }) as unknown as CustomGradArg);
  return f(x);
}

/** Exact (erf) GELU. */
export function fusedGelu(x: tf.Tensor): tf.Tensor {
  const f = tf.customGrad(((input: tf.Tensor, save: Save) => {
    save([input]);
    return {
      value: run(KERNELS.gelu, { x: input })[0]!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => run(KERNELS.geluGrad, { dy, x: saved[0]! })[0]!,
    };
  }) as unknown as CustomGradArg);
  return f(x);
}

/**
 * qkv [B, N, 3D] (q, k, v, head-major) -> softmax(q k^T / sqrt(hd)) v, heads merged, [B, Q, D]
 * for the first Q = `queries` tokens (default all).
 */
export function fusedAttention(qkv: tf.Tensor, heads: number, queries: number = qkv.shape[1] as number): tf.Tensor3D {
  const f = tf.customGrad(((input: tf.Tensor, save: Save) => {
    const [out, probs] = run(KERNELS.attention, { qkv: input }, { heads, queries }) as [tf.Tensor, tf.Tensor];
    save([input, probs]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        run(KERNELS.attentionGrad, { dy, qkv: saved[0]!, probs: saved[1]! }, { heads, queries })[0]!,
    };
  }) as unknown as CustomGradArg);
  return f(qkv) as tf.Tensor3D;
}

/**
 * Whether the engine records operations for a gradient now (inside tf.grads, variableGrads,
 * minimize). The block kernel has no gradient, so it runs only where this is false.
 */
export function recordingGradients(): boolean {
  return tf.engine().state.gradientDepth > 0;
}

/**
 * x [B, N, D] with context tokens extra [B, L, D] (or null) -> the block's output for x's first
 * `queries` tokens [B, Q, D], as block.ts computes it, in one native kernel. Forward only:
 * callers check recordingGradients() first.
 */
export function fusedBlock(
  p: FusedBlockWeights,
  x: tf.Tensor,
  extra: tf.Tensor | null,
  queries: number,
  activation: string,
): tf.Tensor {
  const tensors: Record<(typeof BLOCK_WEIGHTS)[number], tf.Tensor | null> = {
    ln1W: p.norm1.weight,
    ln1B: p.norm1.bias,
    qkvW: p.attn.qkv.weightIO,
    qkvB: p.attn.qkv.bias,
    projW: p.attn.proj.weightIO,
    projB: p.attn.proj.bias,
    ln2W: p.norm2.weight,
    ln2B: p.norm2.bias,
    fc1W: p.mlp.fc1.weightIO,
    fc1B: p.mlp.fc1.bias,
    fc2W: p.mlp.fc2.weightIO,
    fc2B: p.mlp.fc2.bias,
  };
  const inputs: tf.NamedTensorMap = { x };
  if (extra !== null) inputs.extra = extra;
  for (const name of BLOCK_WEIGHTS) if (tensors[name] !== null) inputs[name] = tensors[name]!;
  return run(KERNELS.block, inputs, {
    heads: p.attn.heads,
    queries,
    activation,
    eps1: p.norm1.eps,
    eps2: p.norm2.eps,
  })[0]!;
}
