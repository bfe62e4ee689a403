/**
 * A pre-norm transformer block: y = x + attn(norm1(x)), then y + mlp(norm2(y)). A block call may
 * add context tokens that attend but are dropped after the block (deep prompts), compute only the
 * first tokens' outputs, and run a parallel branch beside the MLP (an AdaptFormer adapter, a plain
 * function so this file does not depend on any module that plugs into it). Where no gradient is
 * recorded and nothing runs beside the MLP, params built with the fused kernel run the whole
 * block as one native kernel (fused_ops.ts); where a gradient is recorded, the block may run as
 * one custom-gradient op that keeps only what its backward needs (block_grad.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { attention, disposeAttention } from './attention.ts';
import { blockWithGradient } from './block_grad.ts';
import { fusedBlock, recordingGradients } from './fused_ops.ts';
import { disposeLayerNorm, layerNorm } from './layer_norm.ts';
import { disposeMlp, mlp } from './mlp.ts';
import type { BlockParams } from './params.ts';
import { appendTokens, keepLeadingTokens } from './tokens.ts';

/** h [B, N, D] = norm2(y) -> [B, N, D], added beside the MLP. */
export type ParallelBranch = (h: tf.Tensor) => tf.Tensor;

/** What one call adds to the plain block over x [B, N, D]. */
export interface BlockCall {
  /**
   * Tokens [B, L, D] appended for this block only: keys and values in attention, but their own
   * outputs (query, projection, norm2, MLP, parallel branch) are never computed. The result is
   * the block over [x, context] with the last L tokens dropped.
   */
  readonly context?: tf.Tensor | null;
  /** Only the first Q tokens' outputs are computed (default all N): [B, Q, D]. */
  readonly queries?: number;
  readonly parallel?: ParallelBranch | null;
  /**
   * x is made from frozen weights only (no gradient can flow to it): under a gradient the block
   * computes the context tokens' gradient alone (block_grad.ts). Default false.
   */
  readonly frozenInput?: boolean;
}

/** x [B, N, D] -> [B, Q, D]. */
export function block(p: BlockParams, x: tf.Tensor, call: BlockCall = {}): tf.Tensor {
  const { context = null, queries = x.shape[1] as number, parallel = null, frozenInput = false } = call;
  if (parallel === null && recordingGradients() && p.gradient === 'saved')
    return blockWithGradient(p, x, context, queries, frozenInput);
  if (parallel === null && !recordingGradients() && p.kernel === 'fused') return fusedBlock(p, x, context, queries);
  const y = tf.add(
    keepLeadingTokens(x, queries),
    attention(p.attn, layerNorm(p.norm1, withContext(x, context)), queries),
  );
  const h = layerNorm(p.norm2, y);
  const out = tf.add(y, mlp(p.mlp, h));
  return parallel === null ? out : tf.add(out, parallel(h));
}

function withContext(x: tf.Tensor, context: tf.Tensor | null): tf.Tensor {
  return context === null ? x : appendTokens(x, context);
}

export function disposeBlock(p: BlockParams): void {
  disposeLayerNorm(p.norm1);
  disposeAttention(p.attn);
  disposeLayerNorm(p.norm2);
  disposeMlp(p.mlp);
}
