/**
 * The frozen Vision Transformer (timm `VisionTransformer`, CLIP `VisionTransformer`): patch
 * embedding, CLS token, position embedding, optional pre-norm, pre-norm blocks, final LayerNorm
 * on the CLS token, optional bias-free projection. Prompts and adapters plug in through
 * ForwardHooks, so this file knows nothing about them. Every weight is a non-trainable
 * tf.variable; build one with createVit (weights) or initVitRandom (tests).
 */
import * as tf from '@tensorflow/tfjs-core';
import { block, disposeBlock, type ParallelBranch } from './block.ts';
import { applyFrozenLinear, disposeFrozenLinear, type FrozenLinear } from './frozen_linear.ts';
import { recordingGradients } from './fused_ops.ts';
import { disposeLayerNorm, layerNorm } from './layer_norm.ts';
import { type BlockParams, blockWithPaths, type LayerNormParams, layerNormWithPaths } from './params.ts';
import { applyPatchEmbed, disposePatchEmbed, type PatchEmbedParams } from './patch_embed.ts';
import { addPositionEmbed } from './position_embed.ts';
import { appendTokens, clsToken, keepLeadingTokens, prependClsToken } from './tokens.ts';
import type { ModelPaths } from './speed.ts';
import type { VitConfig } from './vit_config.ts';

/** The levers that decide which tokens the backbone computes (speed.ts); the rest live on the params. */
export type TokenPaths = Pick<ModelPaths, 'prompts' | 'prefix' | 'lastBlock'>;

export interface Vit {
  readonly config: VitConfig;
  readonly patchEmbed: PatchEmbedParams;
  readonly clsToken: tf.Variable; // [1, 1, D]
  readonly posEmbed: tf.Variable; // [1, 1 + G*G, D]
  readonly normPre: LayerNormParams | null;
  readonly blocks: readonly BlockParams[];
  readonly norm: LayerNormParams;
  readonly projection: FrozenLinear | null; // [D] -> [E], no bias
  /** Which tokens the forward pass computes; how it computes them is on the params. */
  readonly paths: TokenPaths;
}

export interface ForwardHooks {
  /**
   * Per block: tokens [B, L_i, D] appended after [CLS, patches] before block i and dropped after
   * it (deep prompts), or null. Missing entries mean none.
   */
  readonly blockTokens?: ReadonlyArray<tf.Tensor | null>;
  /** Per block: a branch beside the MLP, reading norm2(x) (adapters), or null. */
  readonly parallel?: ReadonlyArray<ParallelBranch | null>;
}

function checkInput(config: VitConfig, x: tf.Tensor): void {
  const [, c, h, w] = x.shape;
  const s = config.imageSize;
  if (x.rank !== 4 || c !== config.channels || h !== s || w !== s) {
    throw new Error(`ViT input must be [B, ${config.channels}, ${s}, ${s}] (NCHW), got [${x.shape.join(', ')}]`);
  }
}

/** x [B, C, S, S] -> tokens entering the first block [B, 1 + G*G, D]. */
export function embedTokens(vit: Vit, x: tf.Tensor): tf.Tensor {
  checkInput(vit.config, x);
  const tokens = addPositionEmbed(prependClsToken(vit.clsToken, applyPatchEmbed(vit.patchEmbed, x)), vit.posEmbed);
  return vit.normPre === null ? tokens : layerNorm(vit.normPre, tokens);
}

/**
 * tokens [B, N, D] -> [B, Q, D] through block i with its hooks: the outputs of the first
 * `queries` tokens (default all N; every token is still a key and value). `frozenTokens`: the
 * tokens are made from frozen weights only, so no gradient is computed for them.
 */
export function runBlock(
  vit: Vit,
  i: number,
  tokens: tf.Tensor,
  hooks: ForwardHooks = {},
  queries: number = tokens.shape[1] as number,
  frozenTokens = false,
): tf.Tensor {
  const params = vit.blocks[i] as BlockParams;
  const extra = hooks.blockTokens?.[i] ?? null;
  const parallel = hooks.parallel?.[i] ?? null;
  // The prompt tokens' own outputs are dropped: 'trim' never computes them (same result).
  if (extra === null || vit.paths.prompts === 'trim')
    return block(params, tokens, { context: extra, queries, parallel, frozenInput: frozenTokens });
  return keepLeadingTokens(block(params, appendTokens(tokens, extra), { parallel }), queries);
}

/** x [B, C, S, S] -> the final-LayerNorm CLS feature [B, D] (before any projection). */
export function forwardFeatures(vit: Vit, x: tf.Tensor, hooks: ForwardHooks = {}): tf.Tensor2D {
  // The embedding's weights are frozen: no gradient flows into the first block's input.
  return finishFeatures(vit, embedTokens(vit, x), 0, hooks, true);
}

/** x [B, C, S, S] -> the tokens leaving the first `count` blocks [B, N, D] (the embedding for 0). */
export function forwardBlocks(vit: Vit, x: tf.Tensor, count: number, hooks: ForwardHooks = {}): tf.Tensor {
  let tokens = embedTokens(vit, x);
  for (let i = 0; i < count; i++) tokens = nextTokens(tokens, null, () => runBlock(vit, i, tokens, hooks));
  return tokens;
}

/**
 * The tokens a block makes from `previous`. Where no gradient is recorded (the query pass, the
 * shared prefix, prediction) each block runs in its own tf.tidy and `previous` is freed unless it
 * is the caller's `input`: a pass inside one tidy would otherwise hold every block's
 * intermediates to its end (on the tfjs-ops path about forty views of tokens x dim per block).
 */
function nextTokens(previous: tf.Tensor, input: tf.Tensor | null, run: () => tf.Tensor): tf.Tensor {
  if (recordingGradients()) return run();
  const next = tf.tidy(run);
  if (previous !== input && previous !== next) previous.dispose();
  return next;
}

/**
 * Tokens entering block `from` [B, N, D] -> the final-LayerNorm CLS feature [B, D].
 * `frozenTokens`: those tokens are made from frozen weights only (no gradient flows to them).
 */
export function finishFeatures(
  vit: Vit,
  tokens: tf.Tensor,
  from: number,
  hooks: ForwardHooks = {},
  frozenTokens = false,
): tf.Tensor2D {
  let t = tokens;
  const depth = vit.blocks.length;
  // Only the CLS token leaves the last block: under 'cls' it is the only output computed there.
  for (let i = from; i < depth; i++) {
    const queries = i === depth - 1 && vit.paths.lastBlock === 'cls' ? 1 : (t.shape[1] as number);
    t = nextTokens(t, tokens, () => runBlock(vit, i, t, hooks, queries, frozenTokens && i === from));
  }
  return layerNorm(vit.norm, clsToken(t)) as tf.Tensor2D;
}

/** features [B, D] -> [B, E] through CLIP's projection; the identity when there is none. */
export function projectFeatures(vit: Vit, features: tf.Tensor2D): tf.Tensor2D {
  return vit.projection === null ? features : (applyFrozenLinear(vit.projection, features) as tf.Tensor2D);
}

/** Width of what projectFeatures returns. */
export function embeddingDim(vit: Vit): number {
  return vit.config.projectionDim ?? vit.config.dim;
}

/** All backbone variables, for counting and disposal; none of them is trainable. */
export function backboneVariables(vit: Vit): tf.Variable[] {
  const linear = (p: FrozenLinear) => [p.weightIO, ...(p.bias === null ? [] : [p.bias])];
  const norm = (p: LayerNormParams) => [p.weight, p.bias];
  return [
    ...linear(vit.patchEmbed.proj),
    vit.clsToken,
    vit.posEmbed,
    ...(vit.normPre === null ? [] : norm(vit.normPre)),
    ...vit.blocks.flatMap((b) => [
      ...norm(b.norm1),
      ...linear(b.attn.qkv),
      ...linear(b.attn.proj),
      ...norm(b.norm2),
      ...linear(b.mlp.fc1),
      ...linear(b.mlp.fc2),
    ]),
    ...norm(vit.norm),
    ...(vit.projection === null ? [] : linear(vit.projection)),
  ];
}

/** The same backbone (shared weights) computing with other paths; dispose only one of the two. */
export function withPaths(vit: Vit, paths: ModelPaths): Vit {
  return {
    ...vit,
    normPre: vit.normPre === null ? null : layerNormWithPaths(vit.normPre, paths),
    blocks: vit.blocks.map((b) => blockWithPaths(b, paths)),
    norm: layerNormWithPaths(vit.norm, paths),
    paths: tokenPaths(paths),
  };
}

export function tokenPaths(paths: ModelPaths): TokenPaths {
  return { prompts: paths.prompts, prefix: paths.prefix, lastBlock: paths.lastBlock };
}

/** Backbone parameter count (each frozen weight counted once, not its transposed copy). */
export function backboneParameterCount(vit: Vit): number {
  return backboneVariables(vit).reduce((n, v) => n + v.size, 0);
}

export function disposeVit(vit: Vit): void {
  disposePatchEmbed(vit.patchEmbed);
  tf.dispose([vit.clsToken, vit.posEmbed]);
  if (vit.normPre !== null) disposeLayerNorm(vit.normPre);
  vit.blocks.forEach(disposeBlock);
  disposeLayerNorm(vit.norm);
  if (vit.projection !== null) disposeFrozenLinear(vit.projection);
}
