/**
 * The batch streams a phase draws from. Each loss term names its stream; a dual sampler is simply
 * a phase whose terms use both 'cb' and 'ib'. Every batch is a pure function of (seed, epoch, step),
 * so a resumed run draws exactly the batches an uninterrupted one would.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PlanPhase } from '../../plan/plan.ts';
import { type Batch, loadBatch } from '../data/batch.ts';
import { imageLoading } from '../data/pipeline/loader.ts';
import { Prefetcher } from '../data/pipeline/prefetch.ts';
import { classAwareSampler, instanceSampler, squareRootSampler, type BatchSampler } from '../train/sampler.ts';
import type { StreamBatch, StreamName } from '../train/step.ts';
import type { PreparedSplit } from './splits.ts';

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

export interface StepKey {
  readonly seed: number;
  readonly phase: string;
  readonly epoch: number;
  readonly step: number;
}

/** One batch of every stream as plain arrays (image k of stream s augmented with (seed, phase, epoch, step, s, k)). */
async function loadStepArrays(
  streams: ReadonlyMap<StreamName, BatchSampler>,
  train: PreparedSplit,
  key: StepKey,
): Promise<Map<StreamName, Batch>> {
  const names = [...streams.keys()];
  const batches = await Promise.all(
    names.map((name) => {
      const sampler = streams.get(name)!;
      const indices = sampler.batch(key.epoch, key.step % sampler.stepsPerEpoch);
      return loadBatch(train.dataset, indices, train.transforms, {
        seed: key.seed,
        keys: ['augment', key.phase, key.epoch, key.step, name],
      });
    }),
  );
  return new Map(names.map((name, i) => [name, batches[i]!]));
}

/** Batches ahead of the step being trained, for file datasets (imageLoading().readAhead steps, default 2). */
const prefetchers = new WeakMap<ReadonlyMap<StreamName, BatchSampler>, Prefetcher<StepKey, Map<StreamName, Batch>>>();

function prefetcherFor(
  streams: ReadonlyMap<StreamName, BatchSampler>,
  train: PreparedSplit,
): Prefetcher<StepKey, Map<StreamName, Batch>> {
  let prefetcher = prefetchers.get(streams);
  if (!prefetcher) {
    const steps = stepsPerEpoch(streams);
    const depth = train.dataset.kind === 'files' ? imageLoading().readAhead : 0;
    prefetcher = new Prefetcher(
      (key: StepKey) => loadStepArrays(streams, train, key),
      (key) => (key.step + 1 < steps ? { ...key, step: key.step + 1 } : { ...key, epoch: key.epoch + 1, step: 0 }),
      (key) => `${key.seed}/${key.phase}/${key.epoch}/${key.step}`,
      depth,
    );
    prefetchers.set(streams, prefetcher);
  }
  return prefetcher;
}

/** Loads one batch of every stream (augmented with streams keyed by phase, epoch, step, stream and image). */
export async function loadStreams(
  streams: ReadonlyMap<StreamName, BatchSampler>,
  train: PreparedSplit,
  key: StepKey,
): Promise<Map<StreamName, StreamBatch>> {
  const arrays = await prefetcherFor(streams, train).take(key);
  const out = new Map<StreamName, StreamBatch>();
  for (const [name, batch] of arrays) {
    out.set(name, { x: tf.tensor4d(batch.images, [...batch.shape]), labels: batch.labels, indices: batch.indices });
  }
  return out;
}

/** Whether every transform gives the same image each time (so a per-image cache stays exact). */
export function deterministicTransforms(train: PreparedSplit): boolean {
  return train.transforms.every(
    (t) =>
      t.kind === 'normalize' ||
      t.kind === 'resize' ||
      t.kind === 'centerCrop' ||
      t.kind === 'toRgb' ||
      (t.kind === 'flip' && t.p === 0),
  );
}
