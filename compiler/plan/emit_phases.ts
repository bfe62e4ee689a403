/**
 * Lowering phases: execution order, trainable set, the loss as resolved terms per batch stream
 * (dual sampling doubles the terms: cb as written, ib times the sampler's weight), sampler,
 * optimiser with the batch-scaled lr, schedule, epochs and batch.
 */
import { simpleName } from '../check/coerce.ts';
import type { ModelIndex } from '../check/model_index.ts';
import { phaseExperts } from '../check/phase_experts.ts';
import type { TypedLossTerm, TypedPhase } from '../check/typed.ts';
import type { CallIn } from '../check/typed_call.ts';
import type { ScheduleValue } from '../check/values.ts';
import { keywordDefault } from '../spec/keywords.ts';
import { defaultCall, scheduleDefault } from './defaults.ts';
import type {
  PlanFrozenExperts,
  PlanLossTerm,
  PlanOptimizer,
  PlanPhase,
  PlanSampler,
  PlanSchedule,
  PlanSplit,
  PlanTransform,
  PlanWeight,
} from '../../plan/plan.ts';

/** Phases sorted so that each comes after the phases it names in `after` (source order otherwise). */
export function executionOrder(phases: readonly TypedPhase[]): TypedPhase[] {
  const byName = new Map(phases.map((p) => [p.name, p]));
  const done = new Set<string>();
  const order: TypedPhase[] = [];
  const visit = (phase: TypedPhase, visiting: Set<string>): void => {
    if (done.has(phase.name) || visiting.has(phase.name)) return;
    visiting.add(phase.name);
    for (const ref of phase.after) {
      const parent = byName.get(simpleName(ref) ?? '');
      if (parent) visit(parent, visiting);
    }
    done.add(phase.name);
    order.push(phase);
  };
  for (const phase of phases) visit(phase, new Set());
  return order;
}

const defaultNumber = (keyword: string): number => Number(keywordDefault(keyword));
const defaultName = (keyword: string): string => String(keywordDefault(keyword));

/** Whether every train transform gives the same image each time (so cached outputs are exact). */
export function deterministicTransforms(transforms: readonly PlanTransform[]): boolean {
  return transforms.every(
    (t) =>
      t.kind === 'normalize' ||
      t.kind === 'resize' ||
      t.kind === 'center_crop' ||
      t.kind === 'to_rgb' ||
      (t.kind === 'flip' && t.p === 0),
  );
}

/**
 * A phase that trains nothing but the scorer runs frozen experts: their outputs per training
 * image are a fixed function of the image when the train transforms are deterministic, so they
 * are computed once and cached; otherwise every batch recomputes them (no backward pass).
 */
function frozenExperts(
  trainable: readonly string[],
  index: ModelIndex,
  train: PlanSplit | undefined,
): PlanFrozenExperts | null {
  if (trainable.length === 0 || !trainable.every((name) => index.kindOf(name) === 'scorer')) return null;
  if (train === undefined) return null;
  const transforms = train.name === 'train' ? 'the train transforms' : `the transforms of split '${train.name}'`;
  if (deterministicTransforms(train.transforms)) {
    return {
      outputs: 'cache',
      reason: `the experts are frozen and ${transforms} are deterministic: each image's expert outputs are computed once`,
    };
  }
  const random = train.transforms.filter((t) => !deterministicTransforms([t])).map((t) => t.kind);
  return {
    outputs: 'recompute',
    reason: `${transforms} are random (${[...new Set(random)].join(', ')}): the frozen experts run on every batch, forward only`,
  };
}

/** `train`: the split the phase trains on (`split NAME`, else the train split). */
export function emitPhase(phase: TypedPhase, index: ModelIndex, train?: PlanSplit): PlanPhase {
  const sample = phase.sample ?? defaultCall('sampler', defaultName('sample'));
  const optim = phase.optim ?? defaultCall('optimizer', defaultName('optim'));
  const schedule = phase.schedule ?? defaultCall('schedule', defaultName('schedule'));
  const epochs = phase.epochs ?? defaultNumber('epochs');
  const batch = phase.batch ?? defaultNumber('batch');
  const terms = phase.loss?.terms ?? [{ call: defaultCall('loss', defaultName('loss')), weight: unitWeight }];
  const sampler = emitSampler(sample);
  const trainable = [...new Set(phase.train.map((r) => r.name))];
  return {
    name: phase.name,
    after: phase.after.map((ref) => simpleName(ref) ?? ''),
    trainable,
    experts: phaseExperts(index, phase).map((e) => e.name),
    frozenExperts: frozenExperts(trainable, index, train),
    loss: emitLoss(terms, sampler),
    sampler,
    optimizer: emitOptimizer(optim, batch),
    schedule: emitSchedule(schedule),
    epochs,
    batch,
    ...(phase.microBatch !== undefined ? { microBatch: phase.microBatch } : {}),
    ...(phase.split !== undefined && phase.split.name !== 'train' ? { split: phase.split.name } : {}),
  };
}

const unitWeight: ScheduleValue = { kind: 'schedule', scale: 1, linear: [] };

function weightOf(s: ScheduleValue): PlanWeight {
  return { scale: s.scale, linear: s.linear.map((l) => ({ from: l.from, to: l.to })) };
}

function emitSampler(call: CallIn<'sampler'>): PlanSampler {
  switch (call.name) {
    case 'class_aware':
      return { kind: 'class_aware', perClass: call.settings.per_class };
    case 'dual': {
      const weight = call.settings.weight ?? scheduleDefault('sampler', 'dual', 'weight');
      return { kind: 'dual', perClass: call.settings.per_class, weight: weightOf(weight) };
    }
    case 'sqrt':
      return { kind: 'sqrt' };
    case 'instance':
      return { kind: 'instance' };
  }
}

function emitLoss(terms: readonly TypedLossTerm[], sampler: PlanSampler): PlanLossTerm[] {
  const streams: PlanLossTerm['batch'][] =
    sampler.kind === 'dual'
      ? ['cb', 'ib']
      : sampler.kind === 'class_aware'
        ? ['cb']
        : sampler.kind === 'sqrt'
          ? ['sqrt']
          : ['ib'];
  return streams.flatMap((batch) =>
    terms.map(({ call, weight: termWeight }): PlanLossTerm => {
      const settings: Readonly<Record<string, number>> = call.settings;
      const args: Record<string, number> = {};
      for (const spec of call.spec.args) {
        const instance = batch === 'ib' && !call.args.has(spec.name) ? spec.instanceDefault : undefined;
        args[spec.name] = instance ?? settings[spec.name]!;
      }
      let weight = weightOf(termWeight);
      if (sampler.kind === 'dual' && batch === 'ib')
        weight = { scale: weight.scale * sampler.weight.scale, linear: [...weight.linear, ...sampler.weight.linear] };
      return { loss: call.name, weight, args, batch };
    }),
  );
}

function emitOptimizer(call: CallIn<'optimizer'>, batch: number): PlanOptimizer {
  const { lr, lr_scale: lrScale, base_batch: baseBatch, weight_decay: weightDecay } = call.settings;
  const factor = lrScale === 'linear' ? batch / baseBatch : lrScale === 'sqrt' ? Math.sqrt(batch / baseBatch) : 1;
  const base = { lr: lr * factor, baseLr: lr, baseBatch, lrScale, weightDecay };
  if (call.name === 'adamw') {
    const [beta1, beta2] = call.settings.betas;
    return { kind: 'adamw', ...base, betas: [beta1!, beta2!], eps: call.settings.eps };
  }
  return { kind: 'sgd', ...base, momentum: call.settings.momentum, nesterov: call.settings.nesterov };
}

function emitSchedule(call: CallIn<'schedule'>): PlanSchedule {
  const { warmup: warmupEpochs, warmup_from: warmupFrom, per } = call.settings;
  const warmup = { warmupEpochs, warmupFrom, per };
  if (call.name === 'step')
    return { kind: 'step', ...warmup, milestones: [...call.settings.milestones], gamma: call.settings.gamma };
  if (call.name === 'constant') return { kind: 'constant', ...warmup };
  return { kind: 'cosine', ...warmup, minLr: call.settings.min_lr };
}
