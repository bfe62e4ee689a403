/**
 * A pre-norm transformer block: x + attn(norm1(x)), then x + mlp(norm2(x)). A parallel branch
 * beside the MLP (an AdaptFormer adapter) reads the same norm2(x) and adds to the residual; it is
 * a plain function so this file does not depend on any module that plugs into it.
 * `blockWithContext` is the block for tokens that attend to extra, dropped tokens (prompts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { attention, type AttentionParams, disposeAttention } from './attention.ts';
import { fusedBlock, recordingGradients } from './fused_ops.ts';
import { disposeLayerNorm, layerNorm, type LayerNormParams } from './layer_norm.ts';
import { disposeMlp, mlp, type MlpParams } from './mlp.ts';
import { PLAIN_PATHS, type ModelPaths } from './speed.ts';

export interface BlockParams {
  readonly norm1: LayerNormParams;
  readonly attn: AttentionParams;
  readonly norm2: LayerNormParams;
  readonly mlp: MlpParams;
}

/** h [B, N, D] = norm2(x) -> [B, N, D], added beside the MLP. */
export type ParallelBranch = (h: tf.Tensor) => tf.Tensor;

/** Whether this call may run as the one-kernel block (speed.ts, lever 'block'). */
function fusedHere(paths: ModelPaths, parallel: ParallelBranch | null): boolean {
  return paths.block === 'fused' && parallel === null && !recordingGradients();
}

/** x [B, N, D] -> [B, N, D]. */
export function block(
  p: BlockParams,
  x: tf.Tensor,
  parallel: ParallelBranch | null = null,
  paths: ModelPaths = PLAIN_PATHS,
): tf.Tensor {
  return blockOutputs(p, x, null, x.shape[1] as number, parallel, paths);
}

/**
 * x [B, N, D] with context tokens extra [B, L, D] appended for this block only -> [B, N, D]:
 * the same as block([x, extra]) with the last L tokens dropped, computed without them where
 * they are not needed. Every token is a key and value in attention, but the dropped tokens'
 * own outputs (their query, the projection, LayerNorm 2, the MLP and any parallel branch) are
 * never computed. Deep prompts are such tokens (vit.ts).
 */
export function blockWithContext(
  p: BlockParams,
  x: tf.Tensor,
  extra: tf.Tensor,
  parallel: ParallelBranch | null = null,
  paths: ModelPaths = PLAIN_PATHS,
): tf.Tensor {
  return blockOutputs(p, x, extra, x.shape[1] as number, parallel, paths);
}

/**
 * The outputs of x's first `queries` tokens [B, Q, D] of the block over [x, extra] (extra may be
 * null): every token is a key and value, only those Q are computed further. The last block
 * before the CLS feature needs Q = 1 (vit.ts, lever 'lastBlock').
 */
export function blockOutputs(
  p: BlockParams,
  x: tf.Tensor,
  extra: tf.Tensor | null,
  queries: number,
  parallel: ParallelBranch | null = null,
  paths: ModelPaths = PLAIN_PATHS,
): tf.Tensor {
  if (fusedHere(paths, parallel)) return fusedBlock(p, x, extra, queries, p.mlp.activation);
  const [batch, tokens, dim] = x.shape as [number, number, number];
  const all = extra === null ? x : tf.concat([x, extra], 1);
  const residual = queries === tokens ? x : tf.slice(x, [0, 0, 0], [batch, queries, dim]);
  const y = tf.add(residual, attention(p.attn, layerNorm(p.norm1, all, paths.layerNorm), queries, paths.attention));
  const h = layerNorm(p.norm2, y, paths.layerNorm);
  const out = tf.add(y, mlp(p.mlp, h, paths.gelu));
  return parallel === null ? out : tf.add(out, parallel(h));
}

export function disposeBlock(p: BlockParams): void {
  disposeLayerNorm(p.norm1);
  disposeAttention(p.attn);
  disposeLayerNorm(p.norm2);
  disposeMlp(p.mlp);
}
