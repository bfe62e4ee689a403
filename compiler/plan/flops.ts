/**
 * FLOP and activation-memory estimates (multiply-add = 2 FLOPs, float32 activations). A ViT block
 * on n tokens costs 2nD(4D + 2H) in its linear layers and 4n^2 D in attention; prompts add tokens
 * to the blocks they sit on. Backward through frozen layers computes only input gradients: about
 * the forward cost for linear layers and twice it for attention. Estimates, not measurements.
 */
import { mlpHidden, patchCount } from './params.ts';
import { keptBytes, largestTensorBytes, type ModelPath } from './step_memory.ts';
import type { PlanAdapter, PlanBackbone, PlanDeepPrompt, PlanHead, PlanPool } from '../../plan/plan.ts';

export interface ExpertShape {
  readonly backbone: PlanBackbone;
  readonly prompts: readonly PlanDeepPrompt[];
  readonly pools: readonly PlanPool[];
  readonly adapters: readonly PlanAdapter[];
  readonly head?: PlanHead;
}

interface LayerCost {
  readonly tokens: number;
  readonly linear: number;
  readonly attention: number;
  readonly adapter: number;
}

/** Tokens entering each block (index 0 = block 1). */
export function tokensPerBlock(shape: ExpertShape, withPools: boolean): number[] {
  const base = 1 + patchCount(shape.backbone);
  return Array.from({ length: shape.backbone.depth }, (_, i) => {
    const block = i + 1;
    let n = base;
    for (const p of shape.prompts) if (p.layers.includes(block)) n += p.length;
    if (withPools)
      for (const p of shape.pools) if (p.layers.includes(block)) n += p.length * (p.combine === 'concat' ? p.top : 1);
    return n;
  });
}

function layerCosts(shape: ExpertShape, tokens: readonly number[], adapters: readonly PlanAdapter[]): LayerCost[] {
  const d = shape.backbone.dim;
  const hidden = mlpHidden(shape.backbone);
  return tokens.map((n, i) => ({
    tokens: n,
    linear: 2 * n * d * (4 * d + 2 * hidden),
    attention: 4 * n * n * d,
    adapter: adapters.filter((a) => a.layers.includes(i + 1)).reduce((sum, a) => sum + 4 * n * d * a.bottleneck, 0),
  }));
}

function passFlops(shape: ExpertShape, costs: readonly LayerCost[]): number {
  const b = shape.backbone;
  const patchEmbed = 2 * patchCount(b) * b.channels * b.patch * b.patch * b.dim;
  return patchEmbed + costs.reduce((sum, c) => sum + c.linear + c.attention + c.adapter, 0);
}

export function headFlops(head: PlanHead | undefined): number {
  if (!head) return 0;
  return (
    2 * head.dim * head.classes +
    (head.kind === 'text' && head.projection !== 'none' ? 2 * head.dim * head.embedDim : 0)
  );
}

/** The query pass (when a pool needs one: with the query prompt only), the prompted pass and the head. */
export function inferenceFlops(shape: ExpertShape): number {
  let total = passFlops(shape, layerCosts(shape, tokensPerBlock(shape, true), shape.adapters)) + headFlops(shape.head);
  if (shape.pools.length > 0) {
    const queryPrompts = shape.prompts.filter((p) => shape.pools.some((pool) => pool.query === p.name));
    const queryShape = { ...shape, prompts: queryPrompts, adapters: [] };
    total += passFlops(queryShape, layerCosts(queryShape, tokensPerBlock(queryShape, false), []));
    total += shape.pools.reduce((sum, p) => sum + 2 * p.size * shape.backbone.dim, 0);
  }
  return total;
}

/**
 * Forward + backward FLOPs and the bytes one image holds at the step's peak (step_memory.ts, on
 * the given model path), given the trained module names.
 */
export function trainingCost(
  shape: ExpertShape,
  trained: ReadonlySet<string>,
  path: ModelPath = 'native',
): { flops: number; activationBytes: number; largestTensorBytes: number } {
  const forward = inferenceFlops(shape);
  const trainedLayers = [
    ...shape.prompts.filter((p) => trained.has(p.name)).flatMap((p) => p.layers),
    ...shape.pools.filter((p) => trained.has(p.name)).flatMap((p) => p.layers),
    ...shape.adapters.filter((a) => trained.has(a.name)).flatMap((a) => a.layers),
  ];
  const headBackward = shape.head && trained.has(shape.head.name) ? 2 * headFlops(shape.head) : 0;
  if (trainedLayers.length === 0 && headBackward === 0)
    return { flops: forward, activationBytes: 0, largestTensorBytes: 0 };
  // A head alone still runs every block inside the gradient's scope.
  const first = trainedLayers.length === 0 ? 1 : Math.min(...trainedLayers);
  const costs = layerCosts(shape, tokensPerBlock(shape, true), shape.adapters).slice(first - 1);
  const backward =
    costs.reduce((sum, c) => sum + c.linear + 2 * c.attention + 2 * c.adapter, 0) + 2 * headFlops(shape.head);
  const imageTokens = 1 + patchCount(shape.backbone);
  const last = shape.backbone.depth - first;
  const blocks = costs.map((c, i) => ({
    all: c.tokens,
    // The last block computes the CLS token's output only (runtime/model/vit.ts, lever 'lastBlock').
    outputs: i === last ? 1 : imageTokens,
    dim: shape.backbone.dim,
    hidden: mlpHidden(shape.backbone),
    heads: shape.backbone.heads,
  }));
  return {
    flops: forward + backward,
    // Where the scope starts at the first block, the patch embedding runs inside it.
    activationBytes: keptBytes(
      blocks,
      path,
      first === 1
        ? {
            pixels: shape.backbone.channels * shape.backbone.image * shape.backbone.image,
            tokensByDim: imageTokens * shape.backbone.dim,
          }
        : null,
    ),
    largestTensorBytes: largestTensorBytes(blocks),
  };
}
