/**
 * The frozen transformer's parameter objects. Beside its weights each carries the way it computes
 * (speed.ts's levers, resolved once when the model is built, as timm's Attention picks
 * `fused_attn` in its constructor), so layer_norm.ts, mlp.ts, attention.ts and block.ts take only
 * the params and the input. The types live apart from those functions so that the fused kernels
 * (fused_ops.ts) can name them without importing the functions that call them.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { FrozenLinear } from './frozen_linear.ts';
import type { ModelPaths } from './speed.ts';
import type { Activation } from './vit_config.ts';

export interface LayerNormParams {
  readonly weight: tf.Variable; // [D]
  readonly bias: tf.Variable; // [D]
  readonly eps: number;
  readonly kernel: ModelPaths['layerNorm'];
}

export interface MlpParams {
  readonly fc1: FrozenLinear; // [D] -> [H]
  readonly fc2: FrozenLinear; // [H] -> [D]
  readonly activation: Activation;
  /** How exact GELU runs (QuickGELU is always tfjs ops). */
  readonly gelu: ModelPaths['gelu'];
}

export interface AttentionParams {
  readonly qkv: FrozenLinear; // [D] -> [3D]
  readonly proj: FrozenLinear; // [D] -> [D]
  readonly heads: number;
  /** How softmax(q k^T / sqrt(hd)) v runs between the projections. */
  readonly core: ModelPaths['attention'];
}

export interface BlockParams {
  readonly norm1: LayerNormParams;
  readonly attn: AttentionParams;
  readonly norm2: LayerNormParams;
  readonly mlp: MlpParams;
  /** 'fused': one native kernel where no gradient is recorded and nothing runs beside the MLP. */
  readonly kernel: ModelPaths['block'];
  /** Under a gradient, without a parallel branch: 'saved' keeps only what the backward needs (block_grad.ts). */
  readonly gradient: ModelPaths['blockGrad'];
}

/** The same parameters (shared weights) computing with other paths. */
export function layerNormWithPaths(p: LayerNormParams, paths: ModelPaths): LayerNormParams {
  return { ...p, kernel: paths.layerNorm };
}

export function blockWithPaths(p: BlockParams, paths: ModelPaths): BlockParams {
  return {
    norm1: layerNormWithPaths(p.norm1, paths),
    attn: { ...p.attn, core: paths.attention },
    norm2: layerNormWithPaths(p.norm2, paths),
    mlp: { ...p.mlp, gelu: paths.gelu },
    kernel: paths.block,
    gradient: paths.blockGrad,
  };
}
