/**
 * The LPT steps the benchmark times are the runtime's own: phase 1 and phase 2 run
 * runtime/train/step.ts (what `lpt run` executes: the query outside the gradient, the plan's loss
 * terms, one SGD update), inference runs runtime/eval/predict.ts (what evaluation executes). Each
 * step reads its loss (or the classes) back, so the work is finished when it returns.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PlanLossTerm } from '../plan/plan.ts';
import { predictClasses } from '../runtime/eval/predict.ts';
import { type LptModel, type ModuleName, trainableVariables } from '../runtime/model/lpt_model.ts';
import { COMPUTE_QUERIES, type QuerySource } from '../runtime/model/query.ts';
import { QueryCache } from '../runtime/model/query_cache.ts';
import { stepLossTerms } from '../runtime/build/loss_terms.ts';
import { createSgd } from '../runtime/train/optim.ts';
import { createTrainStep, type StepLossTerm, type StreamBatch } from '../runtime/train/step.ts';
import { BENCH_CONFIGS, type BenchConfig, type BenchModels, LR, type Phase } from './config.ts';

export type Step = () => Promise<void>;

/** One instance-sampled batch; its dataset indices (0 .. B-1) are the query cache's keys. */
export type BenchBatch = StreamBatch;

export async function createBenchBatch(
  batch: number,
  config: BenchConfig = BENCH_CONFIGS.small,
  seed = 1,
): Promise<BenchBatch> {
  const { channels, imageSize } = config.vit;
  const labels = tf.tidy(() =>
    tf.cast(tf.floor(tf.randomUniform([batch], 0, config.classes, 'float32', seed + 1)), 'int32'),
  );
  try {
    // data(), not dataSync(): the webgpu backend can only read asynchronously in Node.
    const x = tf.randomNormal([batch, channels, imageSize, imageSize], 0, 1, 'float32', seed) as tf.Tensor4D;
    return { x, labels: (await labels.data()) as Int32Array, indices: Int32Array.from({ length: batch }, (_, i) => i) };
  } finally {
    labels.dispose();
  }
}

/** Cross-entropy plus the matching term (weight 0.5), on the instance stream, as a plan states them. */
const BENCH_LOSS: readonly PlanLossTerm[] = [
  { loss: 'ce', weight: { scale: 1, linear: [] }, args: {}, batch: 'ib' },
  { loss: 'matching', weight: { scale: -0.5, linear: [] }, args: {}, batch: 'ib' },
];

/** The modules a training phase updates: the shared prompt in phase 1, the pool in phase 2 (both with the head). */
export const PHASE_MODULES = {
  '1': ['shared', 'head'],
  '2': ['pool', 'keys', 'head'],
} as const satisfies Record<Exclude<Phase, 'infer'>, readonly ModuleName[]>;

/** The step's loss: cross-entropy, plus the matching term when the model has a pool. */
export function benchLossTerms(model: LptModel): StepLossTerm[] {
  const head = model.head!;
  const loss = model.pool === null ? BENCH_LOSS.filter((t) => t.loss !== 'matching') : BENCH_LOSS;
  return stepLossTerms(loss, head.scale, new Array(head.weight.shape[1] as number).fill(1), 1);
}

/** With `queryCache`, phase 2 and inference take the query from a cache keyed by image index. */
export function createLptStep(
  models: BenchModels,
  phase: Phase,
  data: BenchBatch,
  queryCache = false,
  microBatch: number | null = null,
): Step {
  const model = phase === '1' ? models.phase1 : models.phase2;
  const queries: QuerySource =
    queryCache && phase !== '1'
      ? { kind: 'cache', cache: new QueryCache(data.indices.length, model.backbone.config.dim) }
      : COMPUTE_QUERIES;
  if (phase === 'infer') {
    return async () => {
      const classes = await predictClasses(model, data.x, data.indices, queries);
      await classes.data();
      classes.dispose();
    };
  }
  const trainable = trainableVariables(model, PHASE_MODULES[phase]);
  const step = createTrainStep({
    model,
    trainable,
    optimizer: createSgd(trainable),
    terms: benchLossTerms(model),
    queries,
    ...(microBatch === null ? {} : { microBatch }),
  });
  const batches = new Map([['ib' as const, data]]);
  const key = { seed: 1, phase: phase, epoch: 0, step: 0 };
  return async () => {
    await step(batches, key, LR);
  };
}
