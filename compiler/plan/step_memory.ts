/**
 * The memory a training step holds per image, as tfjs's allocation record (tf.memory().numBytes,
 * tf.profile's peakBytes) counts it on the runtime's own step: measured by scripts/measure_step_memory.ts,
 * kept within 25% by test/compiler/plan/step_memory.test.ts.
 *
 * Under a gradient a block runs as one custom-gradient op (runtime/model/block_grad.ts, lever
 * `blockGrad: saved`): its forward's intermediates are freed when the block ends and its backward
 * runs in a tf.tidy, so what stays until the gradient pass ends is what the backward needs. Per
 * block and image, in float32 views of each size (BLOCK_VIEWS, the same on both model paths):
 *   all x dim (4)          the block's input with its prompts (the keys' and values' tokens), qkv (3)
 *   outputs x dim (2)      the residual stream after attention (LayerNorm 2's input), the block output
 *   outputs x hidden (1)   the MLP's hidden pre-activation (GELU's input)
 *   heads x outputs x all (1)  the softmax probabilities
 *   per token (2)          mean and 1/std of LayerNorm 1 (all tokens) and LayerNorm 2 (outputs)
 * (`all`: tokens entering the block, prompts included; `outputs`: the tokens whose outputs the
 * block computes, CLS alone in the last block.) On top of what every block keeps, the peak holds
 * once the working tensors of one block (PEAK_VIEWS, the largest over the blocks in the scope):
 * a block computing every token's output peaks in its backward (the gradients of qkv, of the
 * LayerNorms and of the MLP's hidden layer, the attention's gradient), the CLS-only last block in
 * its forward (its input with the prompts appended, LayerNorm 1's output, qkv and its per-head
 * views). On the tfjs-ops path (no addon, or webgpu: LayerNorm, GELU and attention as chains of
 * tfjs ops) those working tensors are many more. When the gradient's scope starts at the first
 * block, the patch embedding runs inside it too and its tensors stay (STEM_VIEWS: views of the
 * image's pixels and of its tokens x dim). Blocks count from the first one a trained module sits in
 * (the runtime runs earlier blocks outside the gradient when nothing in them trains).
 *
 * Fitted (least squares, rounded to whole views) to one-step measurements at ViT-B/16 shapes,
 * batches 1 and 2, depth 1-4, varying dim (384, 768), image size (160, 224) and prompt length
 * (10, 20); checked on sizes not fitted (dim 512 at 192 px, depth 4) and on the quickstart's small
 * ViT: on the native path every one within 6% (the quickstart 83-115%; refitted since, PEAK_VIEWS).
 * On the ops path a pass
 * without a gradient (the shared prefix, the query pass) held every block's intermediates until
 * it ended, which made phase two hold far more than this counts once blocks precede its scope
 * (the estimate was 55% of the measured at depth 3, 39% at depth 4); each such block now runs in
 * its own tf.tidy (runtime/model/vit.ts), and phase two at ViT-B/16 shapes is within 25% there
 * (99% at depth 4 with split attention; 76% at depth 3 with batched attention, webgpu's, a gap
 * not modelled yet). When the model code changes what a block makes or saves, re-measure (`npx tsx scripts/step_memory.ts experiments/lpt_places_lt.lpt`, docs/PERFORMANCE.md)
 * and change the counts.
 */
import type { PlanModelPath as ModelPath } from '../../plan/plan.ts';

/** The sizes a block's tensors are made of. */
export interface BlockShape {
  /** Tokens entering the block, prompts included: every one is a key and a value. */
  readonly all: number;
  /** Tokens whose outputs the block computes. */
  readonly outputs: number;
  readonly dim: number;
  readonly hidden: number;
  readonly heads: number;
}

/** Float32 views per image of each size a block holds at the peak. */
export interface BlockViews {
  readonly allByDim: number;
  readonly outputsByDim: number;
  readonly outputsByHidden: number;
  readonly attention: number;
  readonly perToken: number;
}

export type { ModelPath };

/** What a block keeps until the gradient pass ends (runtime/model/block_grad.ts: its saved tensors and its output). */
const KEPT: BlockViews = { allByDim: 4, outputsByDim: 2, outputsByHidden: 1, attention: 1, perToken: 2 };

export const BLOCK_VIEWS: Readonly<Record<ModelPath, BlockViews>> = { native: KEPT, ops: KEPT };

/**
 * One block's working tensors at the step's peak (counted once: the largest over the blocks). On
 * the native path a block's backward is one native call (LptBlockGrad) whose intermediates live in
 * the addon's own scratch memory, outside tfjs's record and the wasm heap; what tfjs holds besides
 * is fitted to one-step measurements (scripts/measure_step_memory.ts) of the quickstart and of
 * ViT-B/16 shapes at depth 1-3, dim 384 and 768: 79-120% of the measured.
 */
export const PEAK_VIEWS: Readonly<Record<ModelPath, BlockViews>> = {
  native: { allByDim: 2, outputsByDim: 0, outputsByHidden: 3, attention: 0, perToken: 0 },
  ops: { allByDim: 30, outputsByDim: 0, outputsByHidden: 10, attention: 5, perToken: 0 },
};

/** The sizes of the patch embedding's tensors: an image's pixels and its tokens x dim. */
export interface StemShape {
  readonly pixels: number;
  readonly tokensByDim: number;
}

/** Views of each stem size kept when the gradient's scope starts at the first block. */
export const STEM_VIEWS: Readonly<Record<ModelPath, { readonly pixels: number; readonly tokensByDim: number }>> = {
  native: { pixels: 11, tokensByDim: 4 },
  ops: { pixels: 6, tokensByDim: 0 },
};

/** The largest single tensor of one image in the blocks given (a device may bound each buffer). */
export function largestTensorBytes(blocks: readonly BlockShape[]): number {
  return (
    4 *
    Math.max(0, ...blocks.map((s) => Math.max(s.heads * s.outputs * s.all, s.outputs * s.hidden, 3 * s.all * s.dim)))
  );
}

function floats(v: BlockViews, s: BlockShape): number {
  return (
    v.allByDim * s.all * s.dim +
    v.outputsByDim * s.outputs * s.dim +
    v.outputsByHidden * s.outputs * s.hidden +
    v.attention * s.heads * s.outputs * s.all +
    v.perToken * (s.all + s.outputs)
  );
}

/**
 * Bytes one image holds at the step's peak in the blocks given (from the first block in the
 * gradient's scope), with the patch embedding's when `stem` is given (the scope starts at block 1).
 */
export function keptBytes(blocks: readonly BlockShape[], path: ModelPath, stem: StemShape | null = null): number {
  const kept = blocks.reduce((sum, s) => sum + floats(BLOCK_VIEWS[path], s), 0);
  const peak = Math.max(0, ...blocks.map((s) => floats(PEAK_VIEWS[path], s)));
  const st =
    stem === null ? 0 : STEM_VIEWS[path].pixels * stem.pixels + STEM_VIEWS[path].tokensByDim * stem.tokensByDim;
  return 4 * (kept + peak + st);
}
