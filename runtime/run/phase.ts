/**
 * One phase of a plan, ready to train: its batch streams, learning-rate schedule, optimiser and
 * the training step (runtime/train/step.ts) over exactly the phase's trainable variables.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan, PlanPhase } from '../../plan/plan.ts';
import type { LptModel } from '../model/lpt_model.ts';
import type { QuerySource } from '../model/query.ts';
import { createAdamW, createSgd, type Optimizer } from '../train/optim.ts';
import { learningRate, type LrSchedule } from '../train/schedule.ts';
import { createTrainStep, type StepLosses } from '../train/step.ts';
import type { PreparedSplit } from '../build/splits.ts';
import { stepLossTerms } from '../build/loss_terms.ts';
import { loadStreams, phaseStreams, stepsPerEpoch } from '../build/streams.ts';

export function createOptimizer(phase: PlanPhase, variables: readonly tf.Variable[]): Optimizer {
  const o = phase.optimizer;
  if (o.kind === 'sgd')
    return createSgd(variables, { momentum: o.momentum, weightDecay: o.weightDecay, nesterov: o.nesterov });
  return createAdamW(variables, { beta1: o.betas[0], beta2: o.betas[1], eps: o.eps, weightDecay: o.weightDecay });
}

export function phaseSchedule(phase: PlanPhase, steps: number): LrSchedule {
  const s = phase.schedule;
  return {
    baseLr: phase.optimizer.lr,
    epochs: phase.epochs,
    stepsPerEpoch: steps,
    schedule:
      s.kind === 'cosine'
        ? { kind: 'cosine', minLr: s.minLr }
        : s.kind === 'step'
          ? { kind: 'step', milestones: s.milestones, gamma: s.gamma }
          : { kind: 'constant' },
    warmup: { epochs: s.warmupEpochs, from: s.warmupFrom },
    per: s.per,
  };
}

export interface PhaseRunner {
  readonly stepsPerEpoch: number;
  readonly labels: readonly string[];
  readonly imagesPerStep: number;
  /** The learning rate of step `step` of epoch `epoch` (0-based). */
  lr(epoch: number, step: number): number;
  /** Loads the step's batches and runs one training step; returns each term's value and the total. */
  step(epoch: number, step: number): Promise<StepLosses>;
}

/** One expert a phase trains: its active model view and where its queries come from. */
export interface PhaseExpert {
  /** Null for a plan's only expert (LPT); with several, names their loss terms and random draws. */
  readonly name: string | null;
  readonly model: LptModel;
  readonly queries: QuerySource;
}

/** What a phase trains with: the experts it trains, their trainable variables and their optimiser. */
export interface PhaseSetup {
  readonly plan: Plan;
  readonly phase: PlanPhase;
  readonly experts: readonly PhaseExpert[];
  readonly trainable: readonly tf.Variable[];
  readonly optimizer: Optimizer;
  readonly train: PreparedSplit;
  /** Images per stream in one pass of the step (default: the whole batch). */
  readonly microBatch?: number;
}

export function createPhaseRunner(setup: PhaseSetup): PhaseRunner {
  const { plan, phase, experts, trainable, optimizer, train } = setup;
  const streams = phaseStreams(phase, train, plan.seed);
  const steps = stepsPerEpoch(streams);
  const schedule = phaseSchedule(phase, steps);
  const termsOf = (model: LptModel) => {
    if (model.head === null) throw new Error('a training phase needs a head');
    return stepLossTerms(phase.loss, model.head.scale, train.counts, phase.epochs);
  };
  const stepExperts = experts.map((e) => ({ ...e, terms: termsOf(e.model) }));
  const terms = stepExperts.flatMap((e) =>
    e.terms.map((t) => ({ ...t, label: e.name === null ? t.label : `${e.name}:${t.label}` })),
  );
  const trainStep = createTrainStep({
    experts: stepExperts,
    trainable,
    optimizer,
    terms: [],
    ...(setup.microBatch === undefined ? {} : { microBatch: setup.microBatch }),
  });
  const lr = (epoch: number, step: number) => learningRate(schedule, epoch * steps + step);

  async function step(epoch: number, stepInEpoch: number): Promise<StepLosses> {
    const key = { seed: plan.seed, phase: phase.name, epoch, step: stepInEpoch };
    const batches = await loadStreams(streams, train, key);
    try {
      return await trainStep(batches, key, lr(epoch, stepInEpoch));
    } finally {
      tf.dispose([...batches.values()].map((b) => b.x));
    }
  }

  const imagesPerStep = [...streams.values()].reduce((n, s) => n + s.batchSize, 0);
  return { stepsPerEpoch: steps, labels: terms.map((t) => t.label), lr, step, imagesPerStep };
}
