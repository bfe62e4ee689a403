/**
 * Batch samplers over a labelled training set. Every sampler is a pure function of
 * (seed, epoch, step): each epoch's order is drawn from its own stream createRng(seed, kind,
 * epoch), so resuming at (epoch, step) needs nothing but the seed and reproduces the batches of
 * an uninterrupted run. An epoch is ceil(N / batch) steps for every sampler (floor with
 * `dropLast`), N the training-set size, so epochs mean the same amount of work whatever the
 * sampler. Only the instance sampler's last batch can be short; the others always fill B.
 *
 * - instance: a fresh permutation of all images per epoch (uniform over images).
 * - class-aware (Shen et al. 2016; Kang et al. 2020): classes are visited in a cycle reshuffled
 *   whenever it runs out; each visit takes `perClass` images (default 4) from that class's own
 *   reshuffled cycle. Cycles start afresh each epoch.
 * - square-root: each draw picks class j with probability sqrt(n_j) / sum_k sqrt(n_k), then the
 *   next image of that class's cycle (Mahajan et al. 2018). `classPowerSampler` takes any power.
 * - dual (LPT): one class-aware and one instance batch per step; the instance loss is weighted
 *   by eta(e) = max(0, start * (E - e) / E), start 0.5, epochs e = 0..E-1.
 */
import { type Rng, createRng, permutation, shuffleInPlace } from './rng.ts';

export type SamplerKind = 'instance' | 'classAware' | 'power';

export interface BatchSampler {
  readonly kind: SamplerKind;
  readonly batchSize: number;
  readonly stepsPerEpoch: number;
  /** Dataset indices of batch `step` of `epoch` (a fresh array). */
  batch(epoch: number, step: number): Int32Array;
}

export interface SamplerOptions {
  readonly batchSize: number;
  readonly seed: number;
  /** Drop the last short batch of an epoch (epochs become floor(N / batch) steps). */
  readonly dropLast?: boolean;
}

export function stepsPerEpoch(size: number, batchSize: number, dropLast = false): number {
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  if (size <= 0) throw new Error('cannot sample from an empty dataset');
  return Math.max(1, dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize));
}

/** Builds `batch` from an epoch-plan generator, caching the last epoch's plan. */
function fromEpochPlans(
  kind: SamplerKind,
  batchSize: number,
  steps: number,
  plan: (epoch: number) => Int32Array,
): BatchSampler {
  let cached: { epoch: number; order: Int32Array } | undefined;
  return {
    kind,
    batchSize,
    stepsPerEpoch: steps,
    batch(epoch, step) {
      if (!(Number.isInteger(epoch) && epoch >= 0))
        throw new Error(`epoch must be a non-negative integer, got ${epoch}`);
      if (!(Number.isInteger(step) && step >= 0 && step < steps))
        throw new Error(`step ${step} is outside 0..${steps - 1}`);
      if (cached?.epoch !== epoch) cached = { epoch, order: plan(epoch) };
      return cached.order.slice(step * batchSize, Math.min((step + 1) * batchSize, cached.order.length));
    },
  };
}

export function instanceSampler(size: number, options: SamplerOptions): BatchSampler {
  const steps = stepsPerEpoch(size, options.batchSize, options.dropLast);
  return fromEpochPlans('instance', options.batchSize, steps, (epoch) =>
    permutation(size, createRng(options.seed, 'sampler', 'instance', epoch)),
  );
}

/** Draws from a list in a cycle, reshuffling it each time it runs out. */
function randomCycle(items: Int32Array, rng: Rng): () => number {
  const order = Int32Array.from(items);
  let at = order.length;
  return () => {
    if (at === order.length) {
      shuffleInPlace(order, rng);
      at = 0;
    }
    return order[at++]!;
  };
}

function imagesByClass(labels: Int32Array, classes: number): Int32Array[] {
  const lists: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((label, i) => {
    if (!(label >= 0 && label < classes)) throw new Error(`label ${label} of image ${i} is outside 0..${classes - 1}`);
    lists[label]!.push(i);
  });
  return lists.map((l) => Int32Array.from(l));
}

/** Per-class cycles, created lazily in first-use order so the stream is deterministic. */
function classCycles(byClass: Int32Array[], rng: Rng): (label: number) => number {
  const cycles = new Map<number, () => number>();
  return (label) => {
    let next = cycles.get(label);
    if (!next) cycles.set(label, (next = randomCycle(byClass[label]!, rng)));
    return next();
  };
}

export interface ClassAwareOptions extends SamplerOptions {
  /** Images taken per class visit (default 4). */
  readonly perClass?: number;
}

export function classAwareSampler(labels: Int32Array, classes: number, options: ClassAwareOptions): BatchSampler {
  const perClass = options.perClass ?? 4;
  if (!(Number.isInteger(perClass) && perClass > 0))
    throw new Error(`perClass must be a positive integer, got ${perClass}`);
  const byClass = imagesByClass(labels, classes);
  const present = Int32Array.from(byClass.flatMap((list, label) => (list.length > 0 ? [label] : [])));
  const steps = stepsPerEpoch(labels.length, options.batchSize, options.dropLast);
  const total = steps * options.batchSize;
  return fromEpochPlans('classAware', options.batchSize, steps, (epoch) => {
    const rng = createRng(options.seed, 'sampler', 'class-aware', epoch);
    const nextClass = randomCycle(present, rng);
    const nextImage = classCycles(byClass, rng);
    const order = new Int32Array(total);
    for (let at = 0; at < total;) {
      const label = nextClass();
      for (let k = 0; k < perClass && at < total; k++) order[at++] = nextImage(label);
    }
    return order;
  });
}

/** Classes drawn with probability proportional to n_j^power (0: class-balanced, 1: instance). */
export function classPowerSampler(
  labels: Int32Array,
  classes: number,
  power: number,
  options: SamplerOptions,
): BatchSampler {
  const byClass = imagesByClass(labels, classes);
  const cumulative = new Float64Array(classes);
  let sum = 0;
  byClass.forEach((list, j) => {
    sum += list.length > 0 ? Math.pow(list.length, power) : 0;
    cumulative[j] = sum;
  });
  const steps = stepsPerEpoch(labels.length, options.batchSize, options.dropLast);
  const total = steps * options.batchSize;
  return fromEpochPlans('power', options.batchSize, steps, (epoch) => {
    const rng = createRng(options.seed, 'sampler', `class-power ${power}`, epoch);
    const nextImage = classCycles(byClass, rng);
    const order = new Int32Array(total);
    for (let at = 0; at < total; at++) {
      const u = rng.uniform() * sum;
      let lo = 0;
      let hi = classes - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > u) hi = mid;
        else lo = mid + 1;
      }
      order[at] = nextImage(lo);
    }
    return order;
  });
}

export function squareRootSampler(labels: Int32Array, classes: number, options: SamplerOptions): BatchSampler {
  return classPowerSampler(labels, classes, 0.5, options);
}

/** LPT's dual-sampling weight of the instance-batch loss in epoch e of E. */
export function dualWeight(epoch: number, epochs: number, start = 0.5): number {
  return Math.max(0, (start * (epochs - epoch)) / epochs);
}

export interface DualOptions extends ClassAwareOptions {
  readonly epochs: number;
  /** eta(0); default 0.5. */
  readonly startWeight?: number;
}

export interface DualBatch {
  readonly balanced: Int32Array;
  readonly instance: Int32Array;
  /** eta(epoch): the weight of the instance batch's loss. */
  readonly weight: number;
}

export interface DualSampler {
  readonly kind: 'dual';
  readonly batchSize: number;
  readonly stepsPerEpoch: number;
  readonly balanced: BatchSampler;
  readonly instance: BatchSampler;
  weight(epoch: number): number;
  batch(epoch: number, step: number): DualBatch;
}

export function dualSampler(labels: Int32Array, classes: number, options: DualOptions): DualSampler {
  if (!(Number.isInteger(options.epochs) && options.epochs > 0))
    throw new Error(`dual sampling needs epochs > 0, got ${options.epochs}`);
  const balanced = classAwareSampler(labels, classes, options);
  const instance = instanceSampler(labels.length, options);
  const weight = (epoch: number): number => dualWeight(epoch, options.epochs, options.startWeight);
  return {
    kind: 'dual',
    batchSize: options.batchSize,
    stepsPerEpoch: instance.stepsPerEpoch,
    balanced,
    instance,
    weight,
    batch: (epoch, step) => ({
      balanced: balanced.batch(epoch, step),
      instance: instance.batch(epoch, step),
      weight: weight(epoch),
    }),
  };
}
