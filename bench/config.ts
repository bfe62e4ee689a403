/**
 * The benchmark's configurations and their models with random weights. 'small' (the default,
 * issue 6): ViT on 28x28x1 images, patch 4 (49 patches + CLS), dim 192, depth 6, heads 3, MLP
 * ratio 4; a shared deep prompt of 10 tokens in every block; a pool of 20 entries of 10 tokens
 * over the last 3 blocks with keys, top-2, mean; a cosine head over 10 classes (scale 20, no
 * dropout). 'vitb16': the paper's shapes, ViT-B/16 on 224x224x3 (196 patches + CLS), dim 768,
 * depth 12, heads 12, MLP 3072, the shared prompt of 10 tokens in all 12 blocks and the pool of 20
 * entries of 10 tokens over the last 6 (92,160 + 921,600 + 15,360 trainable prompt parameters, as
 * docs/METHOD.md counts them). The PyTorch peer (scripts/bench/torch_step.py) builds the same models.
 */
import { createHead } from '../runtime/model/head.ts';
import { initVitRandom } from '../runtime/model/init.ts';
import { disposeLptModel, type LptModel } from '../runtime/model/lpt_model.ts';
import { createSharedPrompt } from '../runtime/model/prompt.ts';
import { createPromptPool } from '../runtime/model/prompt_pool.ts';
import type { ModelPaths } from '../runtime/model/speed.ts';
import { withPaths } from '../runtime/model/vit.ts';
import { makeVitConfig, type VitConfig } from '../runtime/model/vit_config.ts';

export interface BenchConfig {
  readonly name: BenchConfigName;
  readonly vit: VitConfig;
  readonly promptLength: number;
  readonly poolSize: number;
  /** The blocks the pool's prompts enter (the last half). */
  readonly poolLayers: readonly number[];
  readonly topK: number;
  readonly classes: number;
  /** Batch sizes timed when --batches is not given. */
  readonly batches: readonly number[];
}

export const BENCH_CONFIG_NAMES = ['small', 'vitb16'] as const;
export type BenchConfigName = (typeof BENCH_CONFIG_NAMES)[number];

const lastHalf = (depth: number) =>
  Array.from({ length: depth - Math.floor(depth / 2) }, (_, i) => Math.floor(depth / 2) + i);

export const BENCH_CONFIGS: Readonly<Record<BenchConfigName, BenchConfig>> = {
  small: {
    name: 'small',
    vit: makeVitConfig({ imageSize: 28, patchSize: 4, channels: 1, dim: 192, depth: 6, heads: 3 }),
    promptLength: 10,
    poolSize: 20,
    poolLayers: lastHalf(6),
    topK: 2,
    classes: 10,
    batches: [32, 128],
  },
  // Batch 8 by default: a batch-32 phase-1 step keeps about 6 GB of activations, more than the
  // wasm backend's 4 GB heap.
  vitb16: {
    name: 'vitb16',
    vit: makeVitConfig({ imageSize: 224, patchSize: 16, channels: 3, dim: 768, depth: 12, heads: 12 }),
    promptLength: 10,
    poolSize: 20,
    poolLayers: lastHalf(12),
    topK: 2,
    classes: 10,
    batches: [8],
  },
};

export const BENCH_VIT: VitConfig = BENCH_CONFIGS.small.vit;
export const LR = 0.01;

export type Phase = '1' | '2' | 'infer';
export const PHASES: readonly Phase[] = ['1', '2', 'infer'];

/** The phase-2 model; the phase-1 model is the same without its pool (as the executor runs it). */
export interface BenchModels {
  readonly phase1: LptModel;
  readonly phase2: LptModel;
}

export function createBenchModels(config: BenchConfig = BENCH_CONFIGS.small, seed = 1): BenchModels {
  const { dim, depth } = config.vit;
  const phase2: LptModel = {
    backbone: initVitRandom(config.vit, seed, 'timm'),
    shared: createSharedPrompt(
      dim,
      depth,
      { length: config.promptLength, layers: Array.from({ length: depth }, (_, i) => i) },
      seed + 1,
    ),
    pool: createPromptPool(
      dim,
      depth,
      {
        size: config.poolSize,
        length: config.promptLength,
        layers: [...config.poolLayers],
        topK: config.topK,
        combine: 'mean',
      },
      seed + 2,
    ),
    adapters: null,
    head: createHead(dim, { kind: 'cosine', classes: config.classes, scale: 20 }, seed + 3),
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
