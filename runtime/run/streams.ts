/**
 * The batch streams a phase draws from. Each loss term names its stream; a dual sampler is simply
 * a phase whose terms use both 'cb' and 'ib'. Every batch is a pure function of (seed, epoch, step),
 * so a resumed run draws exactly the batches an uninterrupted one would.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PlanPhase } from '../../plan/plan.ts';
import { loadBatch } from '../data/batch.ts';
import { classAwareSampler, instanceSampler, squareRootSampler, type BatchSampler } from '../train/sampler.ts';
import { createRng } from '../train/rng.ts';
import type { StreamBatch, StreamName } from '../train/step.ts';
import type { PreparedSplit } from './data.ts';


export function phaseStreams(phase: PlanPhase, train: PreparedSplit, seed: number): Map<StreamName, BatchSampler> {
  const { labels, classes } = train.dataset;
  const options = { batchSize: phase.batch, seed };
  const perClass = phase.sampler.kind === 'class_aware' || phase.sampler.kind === 'dual' ? phase.sampler.perClass : 4;
  const make: Record<StreamName, () => BatchSampler> = {
    cb: () => classAwareSampler(labels, classes, { ...options, perClass }),
    ib: () => instanceSampler(labels.length, options),
    sqrt: () => squareRootSampler(labels, classes, options),
  };
  const names = [...new Set(phase.loss.map((t) => t.batch))];
  return new Map(names.map((name) => [name, make[name]()]));
}

export function stepsPerEpoch(streams: ReadonlyMap<StreamName, BatchSampler>): number {
  return Math.max(...[...streams.values()].map((s) => s.stepsPerEpoch));
}

/** Loads one batch of every stream (augmented with an rng keyed by phase, epoch, step and stream). */
export async function loadStreams(
  streams: ReadonlyMap<StreamName, BatchSampler>,
  train: PreparedSplit,
  key: { readonly seed: number; readonly phase: string; readonly epoch: number; readonly step: number },
): Promise<Map<StreamName, StreamBatch>> {
  const out = new Map<StreamName, StreamBatch>();
  for (const [name, sampler] of streams) {
    const indices = sampler.batch(key.epoch, key.step % sampler.stepsPerEpoch);
    const rng = createRng(key.seed, 'augment', key.phase, key.epoch, key.step, name);
    const batch = await loadBatch(train.dataset, indices, train.transforms, rng);
    out.set(name, { x: tf.tensor4d(batch.images, [...batch.shape]), labels: batch.labels, indices: batch.indices });
  }
  return out;
}

/** Whether every transform gives the same image each time (so a per-image cache stays exact). */
export function deterministicTransforms(train: PreparedSplit): boolean {
  return train.transforms.every((t) => t.kind === 'normalize' || t.kind === 'resize' || t.kind === 'centerCrop' || (t.kind === 'flip' && t.p === 0));
}
