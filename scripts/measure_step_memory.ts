/**
 * The memory a training step really holds: the peak of tfjs's allocation record (tf.profile's
 * peakBytes, every tensor the engine tracks) over one step of a plan's phase, built as `lpt run`
 * builds it (the plan's experts, random backbones where the plan has no weights, the phase's
 * loss terms and optimiser, the runtime's default speed paths) on random images. Per image: the
 * difference between two batch sizes, divided by the images it adds, so that the weights and
 * the optimiser's state cancel. The test of the budget's estimate
 * (test/compiler/plan/step_memory.test.ts) and scripts/step_memory.ts both measure with it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan } from '../plan/plan.ts';
import { resolveModelPaths } from '../runtime/model/kernels/paths.ts';
import { trainableVariables } from '../runtime/model/lpt_model.ts';
import { COMPUTE_QUERIES } from '../runtime/model/query.ts';
import { buildEnsemble, disposeEnsemble } from '../runtime/build/ensemble.ts';
import { stepLossTerms } from '../runtime/build/loss_terms.ts';
import { activeView, slotsOf } from '../runtime/build/experts.ts';
import { createOptimizer } from '../runtime/run/phase.ts';
import { DEFAULT_RUNTIME_SETTINGS } from '../runtime/settings.ts';
import type { SpeedSettings } from '../runtime/model/speed.ts';
import { createTrainStep, type StreamBatch, type StreamName } from '../runtime/train/step.ts';

export interface StepPeak {
  /** Images per stream. */
  readonly batch: number;
  readonly streams: number;
  /** The largest number of bytes the engine held during the step. */
  readonly peakBytes: number;
}

export interface PhaseStep {
  readonly streams: number;
  /** Runs step `step` of epoch 0 (learning rate 0: the weights stay). */
  run(step: number): Promise<void>;
  dispose(): void;
}

/**
 * Phase `phaseIndex`'s training step at `batch` random images per stream (micro-batches of
 * `microBatch`, default none), its model computing as `speed` says (default: the runtime's).
 */
export function phaseStep(
  plan: Plan,
  phaseIndex: number,
  batch: number,
  microBatch?: number,
  speed: SpeedSettings = DEFAULT_RUNTIME_SETTINGS.speed,
): PhaseStep {
  const phase = plan.phases[phaseIndex]!;
  // Random backbones: the memory does not depend on the weights, and the paper's are large downloads.
  const random = { ...plan, backbones: plan.backbones.map((b) => ({ ...b, weights: null })) };
  const ensemble = buildEnsemble(random, () => {}, resolveModelPaths(speed));
  const trained = new Set(plan.phases.slice(0, phaseIndex + 1).flatMap((p) => p.trainable));
  const members = ensemble.experts.flatMap((e) => {
    const modules = phase.trainable.flatMap((m) => slotsOf(e.slots, m));
    if (modules.length === 0) return [];
    const model = activeView(e.model, e.slots, trained);
    const counts = new Array<number>(model.head!.weight.shape[1]!).fill(1).map((_, c) => c + 1);
    const named = ensemble.experts.length > 1 ? e.plan.name : null;
    return [
      {
        name: named,
        model,
        modules,
        queries: COMPUTE_QUERIES,
        terms: stepLossTerms(phase.loss, model.head!.scale, counts, phase.epochs),
      },
    ];
  });
  const trainable = members.flatMap((m) => trainableVariables(m.model, m.modules));
  const optimizer = createOptimizer(phase, trainable);
  const backbone = members[0]!.model.backbone.config;
  const classes = members[0]!.terms.length > 0 ? members[0]!.model.head!.weight.shape[1]! : 1;
  const names = [...new Set(phase.loss.map((t) => t.batch))];
  const batches = new Map<StreamName, StreamBatch>(
    names.map((name, s) => [
      name,
      {
        x: tf.randomNormal([batch, backbone.channels, backbone.imageSize, backbone.imageSize], 0, 1, 'float32', s),
        labels: Int32Array.from({ length: batch }, (_, i) => (i * 7 + s) % classes),
        indices: Int32Array.from({ length: batch }, (_, i) => i),
      },
    ]),
  );
  const step = createTrainStep({
    experts: members,
    trainable,
    optimizer,
    terms: [],
    ...(microBatch === undefined ? {} : { microBatch }),
  });
  return {
    streams: names.length,
    run: async (n) => {
      await step(batches, { seed: plan.seed, phase: phase.name, epoch: 0, step: n }, 0);
    },
    dispose: () => {
      tf.dispose([...batches.values()].map((b) => b.x));
      optimizer.dispose();
      disposeEnsemble(ensemble);
    },
  };
}

/** The peak of one step (after a first step, which allocates the optimiser's slots once). */
export async function measureStepPeak(
  plan: Plan,
  phaseIndex: number,
  batch: number,
  microBatch?: number,
  speed?: SpeedSettings,
): Promise<StepPeak> {
  const step = phaseStep(plan, phaseIndex, batch, microBatch, speed);
  try {
    await step.run(0);
    const profile = await tf.profile(() => step.run(1));
    return { batch, streams: step.streams, peakBytes: profile.peakBytes };
  } finally {
    step.dispose();
  }
}

/** Bytes per image of a step: the peaks at two batch sizes, their difference per added image. */
export async function measureBytesPerImage(
  plan: Plan,
  phaseIndex: number,
  batches: readonly [number, number] = [1, 2],
  speed?: SpeedSettings,
) {
  const [small, large] = [
    await measureStepPeak(plan, phaseIndex, batches[0], undefined, speed),
    await measureStepPeak(plan, phaseIndex, batches[1], undefined, speed),
  ];
  return {
    small,
    large,
    bytesPerImage: (large.peakBytes - small.peakBytes) / ((large.batch - small.batch) * large.streams),
  };
}
