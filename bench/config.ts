/**
 * The benchmark's fixed configuration (issue 6) and its model with random weights: ViT on
 * 28x28x1 images, patch 4 (49 patches + CLS), dim 192, depth 6, heads 3, MLP ratio 4; a shared
 * deep prompt of 10 tokens in every block; a pool of 20 entries of 10 tokens over the last 3
 * blocks with keys, top-2, mean; a cosine head over 10 classes (scale 20, no dropout). The
 * PyTorch peer (scripts/bench/torch_step.py) builds the same model.
 */
import { createHead } from '../runtime/model/head.ts';
import { initVitRandom } from '../runtime/model/init.ts';
import { disposeLptModel, type LptModel } from '../runtime/model/lpt_model.ts';
import { createSharedPrompt } from '../runtime/model/prompt.ts';
import { createPromptPool } from '../runtime/model/prompt_pool.ts';
import type { ModelPaths } from '../runtime/model/speed.ts';
import { withPaths } from '../runtime/model/vit.ts';
import { makeVitConfig, type VitConfig } from '../runtime/model/vit_config.ts';

export const BENCH_VIT: VitConfig = makeVitConfig({ imageSize: 28, patchSize: 4, channels: 1, dim: 192, depth: 6, heads: 3 });
export const PROMPT_LENGTH = 10;
export const POOL_SIZE = 20;
export const POOL_LAYERS: readonly number[] = [3, 4, 5];
export const TOP_K = 2;
export const CLASSES = 10;
export const LR = 0.01;

export type Phase = '1' | '2' | 'infer';
export const PHASES: readonly Phase[] = ['1', '2', 'infer'];

/** The phase-2 model; the phase-1 model is the same without its pool (as the executor runs it). */
export interface BenchModels {
  readonly phase1: LptModel;
  readonly phase2: LptModel;
}

export function createBenchModels(seed = 1): BenchModels {
  const { dim, depth } = BENCH_VIT;
  const phase2: LptModel = {
    backbone: initVitRandom(BENCH_VIT, seed, 'timm'),
    shared: createSharedPrompt(dim, depth, { length: PROMPT_LENGTH, layers: [0, 1, 2, 3, 4, 5] }, seed + 1),
    pool: createPromptPool(dim, depth, { size: POOL_SIZE, length: PROMPT_LENGTH, layers: POOL_LAYERS, topK: TOP_K, combine: 'mean' }, seed + 2),
    adapters: null,
    head: createHead(dim, { kind: 'cosine', classes: CLASSES, scale: 20 }, seed + 3),
  };
  return { phase1: { ...phase2, pool: null }, phase2 };
}

/** The same models (shared weights) computing with other paths. */
export function benchModelsWithPaths(models: BenchModels, paths: ModelPaths): BenchModels {
  const backbone = withPaths(models.phase2.backbone, paths);
  return { phase1: { ...models.phase1, backbone }, phase2: { ...models.phase2, backbone } };
}

export function disposeBenchModels(models: BenchModels): void {
  disposeLptModel(models.phase2);
}
