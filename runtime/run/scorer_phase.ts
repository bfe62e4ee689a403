/**
 * The MoE scorer's phase: the experts are frozen, so the step only needs their outputs (class
 * probabilities, and features for a 'feature' scorer) on the batch. When the plan says 'cache'
 * (deterministic train transforms, decided by the compiler), one pass over the training images
 * fills a per-image cache before the first step and every step reads it, without loading an
 * image; otherwise ('recompute') each step loads its batches and runs the experts forward only.
 * Batches follow the same (seed, phase, epoch, step) keys either way, so both give the same scorer.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan, PlanPhase } from '../../plan/plan.ts';
import { loadBatch } from '../data/batch.ts';
import { expertOutput } from '../eval/predict.ts';
import type { LptModel } from '../model/lpt_model.ts';
import { COMPUTE_QUERIES } from '../model/query.ts';
import type { Scorer } from '../model/scorer.ts';
import type { Optimizer } from '../train/optim.ts';
import { learningRate } from '../train/schedule.ts';
import { createScorerStep, type ScorerBatch, type StepLosses, type StreamName } from '../train/step.ts';
import type { PreparedSplit } from '../build/splits.ts';
import { stepLossTerms } from '../build/loss_terms.ts';
import { phaseSchedule, type PhaseRunner } from './phase.ts';
import { loadStreams, phaseStreams, stepsPerEpoch } from '../build/streams.ts';

export interface ScorerPhaseSetup {
  readonly plan: Plan;
  readonly phase: PlanPhase;
  /** The scorer's experts, in the scorer's order (frozen views). */
  readonly experts: readonly LptModel[];
  readonly scorer: Scorer;
  readonly trainable: readonly tf.Variable[];
  readonly optimizer: Optimizer;
  readonly train: PreparedSplit;
  /** Cache the experts' outputs (the plan's frozenExperts.outputs === 'cache'). */
  readonly cache: boolean;
  /** Per expert, its calibration temperature (absent: uncalibrated, T = 1). */
  readonly temperatures?: readonly number[];
}

/** Per expert: probabilities [N, C] and features [N, D] of every training image, row = dataset index. */
interface OutputCache {
  readonly probs: Float32Array[];
  readonly features: Float32Array[];
  readonly classes: number;
  readonly dims: readonly number[];
}

const CACHE_BATCH = 250;

export async function fillOutputCache(
  experts: readonly LptModel[],
  train: PreparedSplit,
  classes: number,
  temperatures?: readonly number[],
): Promise<OutputCache> {
  const n = train.dataset.labels.length;
  const dims = experts.map((m) => m.backbone.config.dim);
  const cache: OutputCache = {
    probs: experts.map(() => new Float32Array(n * classes)),
    features: dims.map((d) => new Float32Array(n * d)),
    classes,
    dims,
  };
  for (let start = 0; start < n; start += CACHE_BATCH) {
    const indices = Int32Array.from({ length: Math.min(CACHE_BATCH, n - start) }, (_, i) => start + i);
    const batch = await loadBatch(train.dataset, indices, train.transforms, {
      seed: 0,
      keys: ['expert-output-cache', start],
    });
    const x = tf.tensor4d(batch.images, [...batch.shape]);
    for (const [e, model] of experts.entries()) {
      const out = await expertOutput(model, x, batch.indices, COMPUTE_QUERIES, temperatures?.[e] ?? 1);
      cache.probs[e]!.set(await out.probs.data(), start * classes);
      cache.features[e]!.set(await out.features.data(), start * dims[e]!);
      tf.dispose([out.probs, out.features]);
    }
    x.dispose();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return cache;
}

function gatherRows(source: Float32Array, width: number, indices: Int32Array): tf.Tensor2D {
  const out = new Float32Array(indices.length * width);
  indices.forEach((row, i) => out.set(source.subarray(row * width, (row + 1) * width), i * width));
  return tf.tensor2d(out, [indices.length, width]);
}

export function createScorerPhaseRunner(setup: ScorerPhaseSetup): PhaseRunner {
  const { plan, phase, experts, scorer, train } = setup;
  const streams = phaseStreams(phase, train, plan.seed);
  const steps = stepsPerEpoch(streams);
  const schedule = phaseSchedule(phase, steps);
  const terms = stepLossTerms(phase.loss, 1, train.counts, phase.epochs);
  const scorerStep = createScorerStep({ scorer, trainable: setup.trainable, optimizer: setup.optimizer, terms });
  const lr = (epoch: number, step: number) => learningRate(schedule, epoch * steps + step);
  let cache: OutputCache | null = null;

  async function batchesOf(key: {
    seed: number;
    phase: string;
    epoch: number;
    step: number;
  }): Promise<Map<StreamName, ScorerBatch>> {
    const out = new Map<StreamName, ScorerBatch>();
    if (setup.cache) {
      cache ??= await fillOutputCache(experts, train, plan.classes, setup.temperatures);
      const c = cache;
      for (const [name, sampler] of streams) {
        const indices = sampler.batch(key.epoch, key.step % sampler.stepsPerEpoch);
        const labels = Int32Array.from(indices, (i) => train.dataset.labels[i]!);
        out.set(name, {
          labels,
          outputs: {
            probs: c.probs.map((p) => gatherRows(p, c.classes, indices)),
            features: c.features.map((f, e) => gatherRows(f, c.dims[e]!, indices)),
          },
        });
      }
      return out;
    }
    const batches = await loadStreams(streams, train, key);
    for (const [name, b] of batches) {
      const outs = [];
      for (const [e, m] of experts.entries())
        outs.push(await expertOutput(m, b.x, b.indices, COMPUTE_QUERIES, setup.temperatures?.[e] ?? 1));
      out.set(name, {
        labels: b.labels,
        outputs: { probs: outs.map((o) => o.probs), features: outs.map((o) => o.features) },
      });
      b.x.dispose();
    }
    return out;
  }

  async function step(epoch: number, stepInEpoch: number): Promise<StepLosses> {
    const key = { seed: plan.seed, phase: phase.name, epoch, step: stepInEpoch };
    const batches = await batchesOf(key);
    try {
      return await scorerStep(batches, key, lr(epoch, stepInEpoch));
    } finally {
      tf.dispose([...batches.values()].flatMap((b) => [...b.outputs.probs, ...(b.outputs.features ?? [])]));
    }
  }

  const imagesPerStep = [...streams.values()].reduce((n, s) => n + s.batchSize, 0);
  return { stepsPerEpoch: steps, labels: terms.map((t) => t.label), lr, step, imagesPerStep };
}
