/**
 * Training one phase: every step draws its batch streams, computes the query q(x) without
 * gradient (when a pool is active), evaluates the weighted loss terms and applies one optimiser
 * update to exactly the phase's trainable variables. A non-finite loss stops the run.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan, PlanPhase } from '../../plan/plan.ts';
import { applyHead } from '../model/head.ts';
import { forwardPrompted, forwardQuery, type LptModel } from '../model/lpt_model.ts';
import { QueryCache } from '../model/query_cache.ts';
import { createAdamW, createSgd, type Optimizer } from '../train/optim.ts';
import { createRng } from '../train/rng.ts';
import { learningRate, type LrSchedule } from '../train/schedule.ts';
import type { PreparedSplit } from './data.ts';
import { lossSpec, termLabels, termValue, termWeight } from './loss_terms.ts';
import { loadStreams, phaseStreams, stepsPerEpoch, type StreamBatch, type StreamName } from './streams.ts';

export class DivergedError extends Error {
  override readonly name = 'DivergedError';
}

export function createOptimizer(phase: PlanPhase, variables: readonly tf.Variable[]): Optimizer {
  const o = phase.optimizer;
  if (o.kind === 'sgd') return createSgd(variables, { momentum: o.momentum, weightDecay: o.weightDecay, nesterov: o.nesterov });
  return createAdamW(variables, { beta1: o.betas[0], beta2: o.betas[1], eps: o.eps, weightDecay: o.weightDecay });
}

export function phaseSchedule(phase: PlanPhase, steps: number): LrSchedule {
  const s = phase.schedule;
  return {
    baseLr: phase.optimizer.lr,
    epochs: phase.epochs,
    stepsPerEpoch: steps,
    schedule: s.kind === 'cosine' ? { kind: 'cosine', minLr: s.minLr } : s.kind === 'step' ? { kind: 'step', milestones: s.milestones, gamma: s.gamma } : { kind: 'constant' },
    warmup: { epochs: s.warmupEpochs, from: s.warmupFrom },
  };
}

export interface PhaseRunner {
  readonly stepsPerEpoch: number;
  readonly labels: readonly string[];
  /** The learning rate of step `step` of epoch `epoch` (0-based). */
  lr(epoch: number, step: number): number;
  /** One optimiser step; returns each term's value and the total. */
  step(epoch: number, step: number): Promise<Record<string, number>>;
  readonly imagesPerStep: number;
}

export function createPhaseRunner(
  plan: Plan,
  phase: PlanPhase,
  model: LptModel,
  trainable: readonly tf.Variable[],
  optimizer: Optimizer,
  train: PreparedSplit,
  queryCache: QueryCache | null = null,
): PhaseRunner {
  const head = model.head;
  if (head === null) throw new Error('a training phase needs a head');
  const streams = phaseStreams(phase, train, plan.seed);
  const steps = stepsPerEpoch(streams);
  const schedule = phaseSchedule(phase, steps);
  const specs = phase.loss.map((t) => lossSpec(t, head.scale));
  const labels = termLabels(phase.loss);
  const counts = train.counts;
  const lr = (epoch: number, step: number) => learningRate(schedule, epoch * steps + step);

  async function step(epoch: number, stepInEpoch: number): Promise<Record<string, number>> {
    const key = { seed: plan.seed, phase: phase.name, epoch, step: stepInEpoch };
    const batches = await loadStreams(streams, train, key);
    const queries = new Map<StreamName, tf.Tensor2D | null>();
    // The query is a constant of the loss: computed outside the gradient closure.
    for (const [name, b] of batches) queries.set(name, model.pool === null ? null : query(b));
    const dropoutSeed = createRng(plan.seed, 'dropout', phase.name, epoch, stepInEpoch).int(2 ** 31);
    const kept: tf.Scalar[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const outputs = new Map([...batches].map(([name, b]) => [name, forwardStream(model, b, queries.get(name) ?? null, dropoutSeed, key, name)]));
      let total: tf.Scalar = tf.scalar(0);
      phase.loss.forEach((term, i) => {
        const value = termValue(term, specs[i] ?? null, outputs.get(term.batch)!, counts);
        kept.push(tf.keep(value));
        total = tf.add(total, tf.mul(value, termWeight(term.weight, epoch, phase.epochs)));
      });
      return total;
    }, trainable as tf.Variable[]);
    const values = [...(await value.data()), ...(await Promise.all(kept.map((t) => t.data()))).map((d) => d[0]!)];
    const losses: Record<string, number> = { total: values[0]! };
    labels.forEach((label, i) => (losses[label] = values[i + 1]!));
    try {
      if (!Number.isFinite(losses.total)) {
        const terms = labels.map((l) => `${l} = ${losses[l]}`).join(', ');
        throw new DivergedError(`training diverged in phase '${phase.name}', epoch ${epoch + 1}, step ${stepInEpoch + 1}: the loss is ${losses.total} (${terms})`);
      }
      optimizer.apply(grads, lr(epoch, stepInEpoch));
    } finally {
      tf.dispose([value, ...kept, ...Object.values(grads), ...[...batches.values()].map((b) => b.x), ...[...queries.values()].filter((q) => q !== null)]);
    }
    return losses;
  }

  /** q(x), from the cache when the phase may use one (see run_plan.ts), else a fresh query pass. */
  function query(b: StreamBatch): tf.Tensor2D {
    if (queryCache === null) return tf.tidy(() => forwardQuery(model, b.x));
    return queryCache.lookup(b.indices, (missing) => tf.tidy(() => forwardQuery(model, tf.gather(b.x, missing.positions))));
  }

  const imagesPerStep = [...streams.values()].reduce((n, s) => n + s.batchSize, 0);
  return { stepsPerEpoch: steps, labels, lr, step, imagesPerStep };
}

function forwardStream(
  model: LptModel,
  batch: StreamBatch,
  query: tf.Tensor2D | null,
  dropoutSeed: number,
  key: { seed: number; phase: string; epoch: number; step: number },
  stream: StreamName,
) {
  const { features, selection } = forwardPrompted(model, batch.x, query);
  return {
    logits: applyHead(model.head!, features, true, dropoutSeed),
    labels: batch.labels,
    selectedSimilarity: selection?.selectedSimilarity ?? null,
    noise: { rng: createRng(key.seed, 'gcl', key.phase, key.epoch, key.step, stream) },
  };
}
