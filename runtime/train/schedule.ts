/**
 * Learning-rate schedules as pure functions of the global step, in one of two granularities.
 * per 'step' (default): optional linear warm-up from `warmup.from` (default 1e-6) to the base
 * rate over `warmup.epochs` epochs, then constant, cosine (to `minLr`, over the steps after the
 * warm-up; torch's LinearLR + CosineAnnealingLR chained by SequentialLR) or step decay (x gamma at
 * each milestone epoch; torch's MultiStepLR).
 * per 'epoch': the rate changes only between epochs, as timm's schedulers stepped once per epoch
 * (the authors' code: CosineLRScheduler(warmup_t=1, warmup_lr_init=1e-6, t_initial=epochs)):
 * epoch e < warm-up runs at from + e (base - from) / warmup, so a 1-epoch warm-up trains its whole
 * first epoch at `from`; after it, cosine is min + (base - min) (1 + cos(pi e / epochs)) / 2 with
 * e counted from the phase's start (timm's warmup_prefix=False).
 * LPT: cosine per epoch, 1 warm-up epoch from 1e-6, lr 0.02 at batch 256 scaled linearly with the
 * batch size (Goyal et al. 2017).
 */

export type ScheduleSpec =
  | { readonly kind: 'constant' }
  | { readonly kind: 'cosine'; readonly minLr?: number }
  | { readonly kind: 'step'; readonly milestones: readonly number[]; readonly gamma?: number };

export interface WarmupSpec {
  readonly epochs: number;
  readonly from?: number;
}

export interface LrSchedule {
  readonly baseLr: number;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly schedule: ScheduleSpec;
  readonly warmup?: WarmupSpec;
  /** Granularity; default 'step'. */
  readonly per?: 'step' | 'epoch';
}

export const DEFAULT_WARMUP_FROM = 1e-6;

/** lr * batch / baseBatch (the linear scaling rule). */
export function scaleLr(lr: number, batchSize: number, baseBatchSize: number): number {
  if (!(batchSize > 0 && baseBatchSize > 0))
    throw new Error(`batch sizes must be positive, got ${batchSize} and ${baseBatchSize}`);
  return (lr * batchSize) / baseBatchSize;
}

/** The learning rate for global step `step` (0-based; step = epoch * stepsPerEpoch + stepInEpoch). */
export function learningRate(s: LrSchedule, step: number): number {
  const total = s.epochs * s.stepsPerEpoch;
  if (!(Number.isInteger(step) && step >= 0)) throw new Error(`step must be a non-negative integer, got ${step}`);
  if (s.per === 'epoch') return epochRate(s, Math.floor(step / s.stepsPerEpoch));
  const warmupSteps = Math.round((s.warmup?.epochs ?? 0) * s.stepsPerEpoch);
  if (warmupSteps > 0 && step < warmupSteps) {
    const from = s.warmup?.from ?? DEFAULT_WARMUP_FROM;
    return from + ((s.baseLr - from) * step) / warmupSteps;
  }
  switch (s.schedule.kind) {
    case 'constant':
      return s.baseLr;
    case 'cosine': {
      const min = s.schedule.minLr ?? 0;
      const span = Math.max(1, total - warmupSteps);
      const t = Math.min(step - warmupSteps, span);
      return min + 0.5 * (s.baseLr - min) * (1 + Math.cos((Math.PI * t) / span));
    }
    case 'step': {
      const epoch = Math.floor(step / s.stepsPerEpoch);
      const passed = s.schedule.milestones.filter((m) => m <= epoch).length;
      return s.baseLr * Math.pow(s.schedule.gamma ?? 0.1, passed);
    }
  }
}

/** timm's per-epoch rate for epoch `epoch` (0-based). */
function epochRate(s: LrSchedule, epoch: number): number {
  const warmup = s.warmup?.epochs ?? 0;
  if (epoch < warmup) {
    const from = s.warmup?.from ?? DEFAULT_WARMUP_FROM;
    return from + ((s.baseLr - from) * epoch) / warmup;
  }
  switch (s.schedule.kind) {
    case 'constant':
      return s.baseLr;
    case 'cosine': {
      const min = s.schedule.minLr ?? 0;
      return min + 0.5 * (s.baseLr - min) * (1 + Math.cos((Math.PI * Math.min(epoch, s.epochs)) / s.epochs));
    }
    case 'step':
      return s.baseLr * Math.pow(s.schedule.gamma ?? 0.1, s.schedule.milestones.filter((m) => m <= epoch).length);
  }
}

/** The whole schedule, one value per step, for plots and logs. */
export function learningRates(s: LrSchedule): Float64Array {
  return Float64Array.from({ length: s.epochs * s.stepsPerEpoch }, (_, step) => learningRate(s, step));
}
