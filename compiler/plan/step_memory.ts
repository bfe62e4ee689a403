/**
 * The memory a training step holds per image, as tfjs's allocation record (tf.memory().numBytes,
 * tf.profile's peakBytes) counts it on the runtime's own step: measured by scripts/measure_step_memory.ts,
 * kept within 25% by test/compiler/plan/step_memory.test.ts.
 *
 * The peak comes at the end of the forward pass, inside the gradient's scope, when every tensor
 * the pass made is alive: afterwards tfjs frees what no gradient needs, and the backward pass
 * holds less. The record counts bytes per tensor, not per buffer: a reshape, or the clone that
 * tfjs keeps of a tensor a kernel saves for its gradient, shares its input's memory but adds its
 * size again. So a block's tensors are counted in views of each size, per image:
 *   all x dim      the tokens entering the block, prompts included (every one a key and a value)
 *   outputs x dim  the tokens whose outputs the block computes (CLS alone in the last block)
 *   outputs x hidden, heads x outputs x all, and a few floats per token (LayerNorm statistics).
 * On the native kernels' path (wasm with the addon `npm ci` builds: fused LayerNorm, GELU and
 * attention, frozen linear layers with a custom gradient, runtime/model/), per block:
 *   all x dim: the block input with its prompts (2 views), LayerNorm 1's output (4), qkv (3 x 4);
 *   outputs x dim: attention output (4), projection output (4), attention residual sum (2),
 *     LayerNorm 2's output (4), fc2 output (3), block output (2);
 *   outputs x hidden: fc1 output (4), GELU output (3); the attention probabilities (1);
 *   LayerNorms' mean and 1/std (2 per token).
 * On the tfjs-ops path (no addon, or webgpu: LayerNorm and GELU as chains of tfjs ops, attention
 * per head) the peak comes late in the backward pass instead: the forward pass's saved tensors
 * and every gradient the backward pass has computed (its gradient map is freed only at its end),
 * the attention's among them, heads x outputs x all several times over. Both paths were measured
 * one block at a time at several sizes; the counts fit those measurements exactly. Blocks count
 * from the first one a trained module sits in (the runtime runs earlier blocks outside the gradient when nothing
 * in them trains). When the model code changes what a block makes or saves, re-measure
 * (`npx tsx scripts/step_memory.ts experiments/lpt_places_lt.lpt`, docs/PERFORMANCE.md) and change the counts.
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

export const BLOCK_VIEWS: Readonly<Record<ModelPath, BlockViews>> = {
  native: { allByDim: 18, outputsByDim: 19, outputsByHidden: 7, attention: 1, perToken: 2 },
  ops: { allByDim: 47, outputsByDim: 44, outputsByHidden: 21, attention: 12, perToken: 11 },
};

/** The largest single tensor of one image in the blocks given (a device may bound each buffer). */
export function largestTensorBytes(blocks: readonly BlockShape[]): number {
  return (
    4 *
    Math.max(0, ...blocks.map((s) => Math.max(s.heads * s.outputs * s.all, s.outputs * s.hidden, 3 * s.all * s.dim)))
  );
}

/** Bytes one image holds in the blocks given (from the first block in the gradient's scope). */
export function keptBytes(blocks: readonly BlockShape[], path: ModelPath): number {
  const v = BLOCK_VIEWS[path];
  const floats = blocks.reduce(
    (sum, s) =>
      sum +
      v.allByDim * s.all * s.dim +
      v.outputsByDim * s.outputs * s.dim +
      v.outputsByHidden * s.outputs * s.hidden +
      v.attention * s.heads * s.outputs * s.all +
      v.perToken * (s.all + s.outputs),
    0,
  );
  return 4 * floats;
}
