/**
 * The transformer block under a gradient as one custom-gradient op that keeps only what its
 * backward needs. tfjs keeps every tensor a gradient pass makes until the pass ends: the forward
 * pass's intermediates (GELU alone leaves five [B*N, 4D] tensors) and, in the backward pass, the
 * gradient of every one of them. Inside this op the forward's intermediates are freed when the
 * block ends and its backward runs in a tf.tidy, so a block keeps: its input (with the context
 * tokens), the row statistics of both LayerNorms, qkv, the softmax probabilities (what PyTorch's
 * autograd keeps for attention), the residual stream y after attention (LayerNorm 2's input) and
 * the MLP's hidden pre-activation (GELU's input); and the backward pass keeps one gradient per
 * block. The gradient is written out with the same kernels as the forward (fused or tfjs ops, by
 * the params), so it runs on every backend; the weights are frozen, so only the input (and the
 * context tokens, the prompts) get one. The forward computes block.ts's plain lines, which the
 * tests check it against (value and gradient).
 *
 * With `frozenInput`, x is made from frozen weights only (the patch embedding's tokens, or a
 * prefix computed outside the gradient): nothing flows back to it, so the op takes the context
 * tokens alone as input and its backward computes only their rows of the qkv projection's and
 * LayerNorm 1's input gradients (the first block of phase 1: a sixth of that block's work).
 */
import * as tf from '@tensorflow/tfjs-core';
import { attentionCoreGrad, attentionCoreWithProbs } from './attention.ts';
import { fusedBlockGrad, fusedBlockTrain } from './fused_ops.ts';
import { applyFrozenLinear, frozenLinearInputGrad } from './frozen_linear.ts';
import { layerNormGrad, layerNormWithStats } from './layer_norm.ts';
import { activate, activationGrad } from './mlp.ts';
import type { BlockParams } from './params.ts';
import { appendTokens, keepLeadingTokens } from './tokens.ts';

type CustomGradArg = Parameters<typeof tf.customGrad>[0];
type Save = (tensors: tf.Tensor[]) => void;

/** Rows [from, from + count) of a [B, T, ...] tensor or of LayerNorm statistics ([B*T] or [B, T, 1]) as [B, count, C]. */
function tokenRows(t: tf.Tensor, batch: number, from: number, count: number): tf.Tensor {
  const perRow = t.size / batch;
  const total = t.rank === 3 ? (t.shape[1] as number) : perRow;
  const width = perRow / total;
  return tf.slice(tf.reshape(t, [batch, total, width]), [0, from, 0], [batch, count, width]);
}

/**
 * x [B, N, D] with context tokens [B, L, D] (or null) -> the outputs of x's first `queries`
 * tokens [B, Q, D], as block.ts's block; gradient w.r.t. x (unless `frozenInput`) and the context.
 */
export function blockWithGradient(
  p: BlockParams,
  x: tf.Tensor,
  context: tf.Tensor | null,
  queries: number,
  frozenInput = false,
): tf.Tensor {
  const [batch, tokens] = x.shape as [number, number];
  // Without context tokens nothing in the block trains: frozenInput changes nothing then.
  const contextOnly = frozenInput && context !== null;
  if (p.kernel === 'fused') return fusedBlockWithGradient(p, x, context, queries, contextOnly);
  const forward: Forward = (input, extra, save) => {
    const all = extra === null ? input : appendTokens(input, extra);
    const norm1 = layerNormWithStats(p.norm1, all);
    const qkv = applyFrozenLinear(p.attn.qkv, norm1.y);
    const core = attentionCoreWithProbs(p.attn, qkv, queries);
    const y = tf.add(keepLeadingTokens(input, queries), applyFrozenLinear(p.attn.proj, core.out));
    const norm2 = layerNormWithStats(p.norm2, y);
    const hidden = applyFrozenLinear(p.mlp.fc1, norm2.y);
    const rest = [qkv, core.probs, y, norm2.mean, norm2.rstd, hidden];
    if (contextOnly && extra !== null) {
      const length = extra.shape[1] as number;
      const rows = (t: tf.Tensor) => tokenRows(t, batch, tokens, length);
      save([extra, rows(norm1.mean), rows(norm1.rstd), ...rest]);
    } else save([all, norm1.mean, norm1.rstd, ...rest]);
    return {
      value: tf.add(y, applyFrozenLinear(p.mlp.fc2, activate(p.mlp, hidden))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => (contextOnly ? contextBackward(dy, saved) : backward(dy, saved, extra !== null))),
    };
  };
  /** dy -> d qkv and dY, the gradient of the residual stream after attention. */
  const throughMlpAndAttention = (dy: tf.Tensor, saved: tf.Tensor[]) => {
    const [qkv, probs, y, mean2, rstd2, hidden] = saved.slice(3) as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
    const dHidden = activationGrad(p.mlp, frozenLinearInputGrad(p.mlp.fc2, dy), hidden);
    const dY = tf.add(dy, layerNormGrad(p.norm2, frozenLinearInputGrad(p.mlp.fc1, dHidden), y, mean2, rstd2));
    return { dQkv: attentionCoreGrad(p.attn, frozenLinearInputGrad(p.attn.proj, dY), qkv, probs, queries), dY };
  };
  const contextBackward = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const [extra, mean1, rstd1] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
    const { dQkv } = throughMlpAndAttention(dy, saved);
    const dQkvContext = tokenRows(dQkv, batch, tokens, extra.shape[1] as number);
    return [layerNormGrad(p.norm1, frozenLinearInputGrad(p.attn.qkv, dQkvContext), extra, mean1, rstd1)];
  };
  const backward = (dy: tf.Tensor, saved: tf.Tensor[], withContext: boolean): tf.Tensor[] => {
    const [all, mean1, rstd1] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
    const { dQkv, dY } = throughMlpAndAttention(dy, saved);
    const dAll = layerNormGrad(p.norm1, frozenLinearInputGrad(p.attn.qkv, dQkv), all, mean1, rstd1);
    // The residual carries dY to x's first Q tokens; the others reach y through attention only.
    const dResidual =
      queries === tokens
        ? dY
        : tf.pad(dY, [
            [0, 0],
            [0, tokens - queries],
            [0, 0],
          ]);
    if (!withContext) return [tf.add(dResidual, dAll)];
    const [dx, dContext] = tf.split(dAll, [tokens, (all.shape[1] as number) - tokens], 1) as [tf.Tensor, tf.Tensor];
    return [tf.add(dResidual, dx), dContext];
  };
  return withCustomGradient(x, context, contextOnly, forward);
}

/** What a block's forward returns inside tf.customGrad: its value and its gradient function. */
type Forward = (
  input: tf.Tensor,
  extra: tf.Tensor | null,
  save: Save,
) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] };

/** `forward` as one custom-gradient op over x and the context tokens, or over the context alone (`contextOnly`). */
function withCustomGradient(
  x: tf.Tensor,
  context: tf.Tensor | null,
  contextOnly: boolean,
  forward: Forward,
): tf.Tensor {
  if (contextOnly) {
    const f = tf.customGrad(((extra: tf.Tensor, save: Save) => forward(x, extra, save)) as unknown as CustomGradArg);
    return f(context!);
  }
  if (context === null) {
    const f = tf.customGrad(((input: tf.Tensor, save: Save) => forward(input, null, save)) as unknown as CustomGradArg);
    return f(x);
  }
  const f = tf.customGrad(((input: tf.Tensor, extra: tf.Tensor, save: Save) =>
    forward(input, extra, save)) as unknown as CustomGradArg);
  return f(x, context);
}

/**
 * The same op on the native addon's block kernels (native/src/block.h): one call writes the output
 * and what the backward reads (the tensors listed above, with the activation's derivative in place
 * of its input and LayerNorm 1's statistics of every row), and the backward is one more call, its
 * intermediates in the addon's own scratch memory.
 */
function fusedBlockWithGradient(
  p: BlockParams,
  x: tf.Tensor,
  context: tf.Tensor | null,
  queries: number,
  contextOnly: boolean,
): tf.Tensor {
  const forward: Forward = (input, extra, save) => {
    const { out, saved } = fusedBlockTrain(p, input, extra, queries);
    // The inputs are saved too: only saved tensors outlive the tidy scopes between forward and backward.
    save([input, ...(extra === null ? [] : [extra]), ...saved]);
    return {
      value: out,
      gradFunc: (dy, kept) => {
        const [keptInput, keptExtra] = [kept[0]!, extra === null ? null : kept[1]!];
        const rest = kept.slice(extra === null ? 1 : 2);
        return fusedBlockGrad(p, keptInput, keptExtra, queries, rest, dy, contextOnly);
      },
    };
  };
  return withCustomGradient(x, context, contextOnly, forward);
}
