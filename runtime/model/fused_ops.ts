/**
 * LayerNorm, exact GELU and the attention core as single ops over the native addon's kernels
 * (kernels/native_kernels.ts), each with a hand-written input gradient through tf.customGrad
 * (their forward and gradient kernels are also exported, for the block's own gradient,
 * block_grad.ts); and a whole transformer block: for passes that record no gradient (fusedBlock),
 * and as a forward that keeps what its gradient needs with that gradient (fusedBlockTrain,
 * fusedBlockGrad; block_grad.ts wraps them in its custom gradient).
 * One call replaces a chain of tfjs ops (LayerNorm: about ten forward and twenty backward). Used
 * by params built where kernels/paths.ts says the kernels exist; layer_norm.ts, mlp.ts and attention.ts
 * keep the tfjs-ops versions, which these must match (test/runtime/model/fused_ops.test.ts).
 * Weights are frozen, so no gradient reaches them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BLOCK_WEIGHTS, KERNELS, SAVED } from './kernels/native_kernels.ts';
import type { BlockParams } from './params.ts';

type CustomGradArg = Parameters<typeof tf.customGrad>[0];
type Save = (tensors: tf.Tensor[]) => void;

function run(name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): tf.Tensor[] {
  const out = tf.engine().runKernel(name, inputs, attrs) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

/** x [..., D] -> LayerNorm(x) with frozen weight and bias [D], and the row statistics its gradient needs. */
export function fusedLayerNormWithStats(
  x: tf.Tensor,
  weight: tf.Tensor,
  bias: tf.Tensor,
  eps: number,
): { readonly y: tf.Tensor; readonly mean: tf.Tensor; readonly rstd: tf.Tensor } {
  const [y, mean, rstd] = run(KERNELS.layerNorm, { x, weight, bias }, { eps }) as [tf.Tensor, tf.Tensor, tf.Tensor];
  return { y, mean, rstd };
}

export function fusedLayerNormGrad(
  dy: tf.Tensor,
  x: tf.Tensor,
  weight: tf.Tensor,
  mean: tf.Tensor,
  rstd: tf.Tensor,
): tf.Tensor {
  return run(KERNELS.layerNormGrad, { dy, x, weight, mean, rstd })[0]!;
}

/** x [..., D] -> LayerNorm(x) with frozen weight and bias [D]. */
export function fusedLayerNorm(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps: number): tf.Tensor {
  const f = tf.customGrad(((input: tf.Tensor, save: Save) => {
    const { y, mean, rstd } = fusedLayerNormWithStats(input, weight, bias, eps);
    save([input, mean, rstd]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, m, r] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        return fusedLayerNormGrad(dy, xs, weight, m, r);
      },
    };
  }) as unknown as CustomGradArg);
  return f(x);
}

export function fusedGeluValue(x: tf.Tensor): tf.Tensor {
  return run(KERNELS.gelu, { x })[0]!;
}

export function fusedGeluGrad(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return run(KERNELS.geluGrad, { dy, x })[0]!;
}

/** Exact (erf) GELU. */
export function fusedGelu(x: tf.Tensor): tf.Tensor {
  const f = tf.customGrad(((input: tf.Tensor, save: Save) => {
    save([input]);
    return {
      value: fusedGeluValue(input),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => fusedGeluGrad(dy, saved[0]!),
    };
  }) as unknown as CustomGradArg);
  return f(x);
}

/**
 * qkv [B, N, 3D] (q, k, v, head-major) -> softmax(q k^T / sqrt(hd)) v, heads merged, [B, Q, D]
 * for the first Q = `queries` tokens, and the probabilities [B, H, Q, N] its gradient needs.
 */
export function fusedAttentionWithProbs(
  qkv: tf.Tensor,
  heads: number,
  queries: number,
): { readonly out: tf.Tensor3D; readonly probs: tf.Tensor } {
  const [out, probs] = run(KERNELS.attention, { qkv }, { heads, queries }) as [tf.Tensor3D, tf.Tensor];
  return { out, probs };
}

/** dy [B, Q, D] -> d qkv [B, N, 3D]. */
export function fusedAttentionGrad(
  dy: tf.Tensor,
  qkv: tf.Tensor,
  probs: tf.Tensor,
  heads: number,
  queries: number,
): tf.Tensor {
  return run(KERNELS.attentionGrad, { dy, qkv, probs }, { heads, queries })[0]!;
}

/** fusedAttentionWithProbs's output with its gradient; Q = `queries` (default all). */
export function fusedAttention(qkv: tf.Tensor, heads: number, queries: number = qkv.shape[1] as number): tf.Tensor3D {
  const f = tf.customGrad(((input: tf.Tensor, save: Save) => {
    const { out, probs } = fusedAttentionWithProbs(input, heads, queries);
    save([input, probs]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => fusedAttentionGrad(dy, saved[0]!, saved[1]!, heads, queries),
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

/** The native block kernels' inputs: x, the context tokens (if any) and the frozen weights. */
function blockInputs(p: BlockParams, x: tf.Tensor, extra: tf.Tensor | null): tf.NamedTensorMap {
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
  return inputs;
}

function blockAttrs(p: BlockParams, queries: number): tf.NamedAttrMap {
  return { heads: p.attn.heads, queries, activation: p.mlp.activation, eps1: p.norm1.eps, eps2: p.norm2.eps };
}

/**
 * x [B, N, D] with context tokens extra [B, L, D] (or null) -> the block's output for x's first
 * `queries` tokens [B, Q, D], as block.ts computes it, in one native kernel. Forward only:
 * callers check recordingGradients() first.
 */
export function fusedBlock(p: BlockParams, x: tf.Tensor, extra: tf.Tensor | null, queries: number): tf.Tensor {
  return run(KERNELS.block, blockInputs(p, x, extra), blockAttrs(p, queries))[0]!;
}

/** What fusedBlockTrain keeps for fusedBlockGrad (SAVED's tensors, in that order). */
export type SavedBlock = readonly tf.Tensor[];

/** fusedBlock's output and what its input gradient needs, in one native kernel. */
export function fusedBlockTrain(
  p: BlockParams,
  x: tf.Tensor,
  extra: tf.Tensor | null,
  queries: number,
): { readonly out: tf.Tensor; readonly saved: SavedBlock } {
  const [out, ...saved] = run(KERNELS.blockTrain, blockInputs(p, x, extra), blockAttrs(p, queries));
  return { out: out!, saved };
}

/**
 * dy [B, Q, D] -> the gradients of x (unless `frozenInput`) and of extra (when given), in that
 * order, from fusedBlockTrain's inputs and saved tensors, in one native kernel.
 */
export function fusedBlockGrad(
  p: BlockParams,
  x: tf.Tensor,
  extra: tf.Tensor | null,
  queries: number,
  saved: SavedBlock,
  dy: tf.Tensor,
  frozenInput: boolean,
): tf.Tensor[] {
  const inputs = blockInputs(p, x, extra);
  SAVED.forEach((name, i) => (inputs[name] = saved[i]!));
  inputs.dy = dy;
  return run(KERNELS.blockGrad, inputs, { ...blockAttrs(p, queries), frozenInput });
}
