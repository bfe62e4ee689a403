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
 */
import * as tf from '@tensorflow/tfjs-core';
import { attentionCoreGrad, attentionCoreWithProbs } from './attention.ts';
import { applyFrozenLinear, frozenLinearInputGrad } from './frozen_linear.ts';
import { layerNormGrad, layerNormWithStats } from './layer_norm.ts';
import { activate, activationGrad } from './mlp.ts';
import type { BlockParams } from './params.ts';
import { appendTokens, keepLeadingTokens } from './tokens.ts';

type CustomGradArg = Parameters<typeof tf.customGrad>[0];
type Save = (tensors: tf.Tensor[]) => void;

/**
 * x [B, N, D] with context tokens [B, L, D] (or null) -> the outputs of x's first `queries`
 * tokens [B, Q, D], as block.ts's block; gradient w.r.t. x and the context.
 */
export function blockWithGradient(p: BlockParams, x: tf.Tensor, context: tf.Tensor | null, queries: number): tf.Tensor {
  const tokens = x.shape[1] as number;
  const forward = (input: tf.Tensor, extra: tf.Tensor | null, save: Save) => {
    const all = extra === null ? input : appendTokens(input, extra);
    const norm1 = layerNormWithStats(p.norm1, all);
    const qkv = applyFrozenLinear(p.attn.qkv, norm1.y);
    const core = attentionCoreWithProbs(p.attn, qkv, queries);
    const y = tf.add(keepLeadingTokens(input, queries), applyFrozenLinear(p.attn.proj, core.out));
    const norm2 = layerNormWithStats(p.norm2, y);
    const hidden = applyFrozenLinear(p.mlp.fc1, norm2.y);
    save([all, norm1.mean, norm1.rstd, qkv, core.probs, y, norm2.mean, norm2.rstd, hidden]);
    return {
      value: tf.add(y, applyFrozenLinear(p.mlp.fc2, activate(p.mlp, hidden))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => backward(dy, saved, extra !== null)),
    };
  };
  const backward = (dy: tf.Tensor, saved: tf.Tensor[], withContext: boolean): tf.Tensor[] => {
    const [all, mean1, rstd1, qkv, probs, y, mean2, rstd2, hidden] = saved as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
    const dHidden = activationGrad(p.mlp, frozenLinearInputGrad(p.mlp.fc2, dy), hidden);
    const dY = tf.add(dy, layerNormGrad(p.norm2, frozenLinearInputGrad(p.mlp.fc1, dHidden), y, mean2, rstd2));
    const dQkv = attentionCoreGrad(p.attn, frozenLinearInputGrad(p.attn.proj, dY), qkv, probs, queries);
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
  if (context === null) {
    const f = tf.customGrad(((input: tf.Tensor, save: Save) => forward(input, null, save)) as unknown as CustomGradArg);
    return f(x);
  }
  const f = tf.customGrad(((input: tf.Tensor, extra: tf.Tensor, save: Save) =>
    forward(input, extra, save)) as unknown as CustomGradArg);
  return f(x, context);
}
