/**
 * Long-tail subsampling of a balanced training set, as in the CIFAR-LT protocol of Cao et al.
 * (LDAM, NeurIPS 2019) that LPT's small-scale experiments follow. The class of rank i (0-based,
 * C classes) keeps
 *   exp:  n_i = floor(max * ratio^(-i / (C - 1)))       (500 ... 5 for max 500, ratio 100)
 *   step: n_i = max for the first floor(C / 2) ranks, floor(max / ratio) for the rest.
 * Ranks follow the labels (class 0 is the head) unless `shuffleClasses` permutes them with the
 * seed. Which images a class keeps is a seeded choice; kept images stay in dataset order.
 */
import type { LongTailProfile } from '../../plan/enums.ts';
import { createRng, permutation } from '../train/rng.ts';
import { type Dataset, subsetDataset } from './dataset.ts';
import { DataError } from './errors.ts';

export type { LongTailProfile };

export interface LongTailOptions {
  readonly profile: LongTailProfile;
  /** n_max / n_min, > 1. */
  readonly ratio: number;
  /** Images kept by the head class; default: the smallest class's size. */
  readonly max?: number;
  readonly seed: number;
  readonly shuffleClasses?: boolean;
}

export interface LongTailResult<D extends Dataset = Dataset> {
  readonly dataset: D;
  /** Dataset indices kept, ascending. */
  readonly indices: Int32Array;
  /** [classes] images kept per class (by label). */
  readonly counts: Int32Array;
  /** classOrder[rank] = the label that got the rank-th largest count. */
  readonly classOrder: Int32Array;
}

/** Target counts by rank. The tiny tolerance keeps floor() from losing an image to rounding (500 * 0.01 = 5). */
export function longTailCounts(classes: number, profile: LongTailProfile, ratio: number, max: number): number[] {
  if (!(ratio >= 1)) throw new Error(`long-tail ratio must be >= 1, got ${ratio}`);
  if (!(Number.isInteger(max) && max > 0)) throw new Error(`long-tail max must be a positive integer, got ${max}`);
  return Array.from({ length: classes }, (_, i) => {
    const n =
      profile === 'exp'
        ? max * Math.pow(ratio, -(classes === 1 ? 0 : i / (classes - 1)))
        : i < Math.floor(classes / 2)
          ? max
          : max / ratio;
    return Math.max(1, Math.floor(n * (1 + 1e-12)));
  });
}

export function longTail<D extends Dataset>(dataset: D, options: LongTailOptions): LongTailResult<D> {
  const { classes } = dataset;
  const available = dataset.counts;
  const max = options.max ?? available.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const targets = longTailCounts(classes, options.profile, options.ratio, max);
  const classOrder = options.shuffleClasses
    ? permutation(classes, createRng(options.seed, 'longtail', 'class-order'))
    : Int32Array.from({ length: classes }, (_, i) => i);

  const byClass: number[][] = Array.from({ length: classes }, () => []);
  dataset.labels.forEach((label, i) => byClass[label]!.push(i));

  const counts = new Int32Array(classes);
  const kept: number[] = [];
  classOrder.forEach((label, rank) => {
    const want = targets[rank]!;
    const pool = Int32Array.from(byClass[label]!);
    if (pool.length < want) {
      throw new DataError(
        'config',
        dataset.name,
        `class ${label} has ${pool.length} images, fewer than the ${want} the long-tail profile asks for`,
      );
    }
    // Seeded per class, so one class's choice does not depend on the others' sizes.
    const order = permutation(pool.length, createRng(options.seed, 'longtail', 'images', label));
    for (let k = 0; k < want; k++) kept.push(pool[order[k]!]!);
    counts[label] = want;
  });
  const indices = Int32Array.from(kept).sort();
  const name = `${dataset.name}|longtail(${options.profile}, ratio ${options.ratio}, max ${max})`;
  return { dataset: subsetDataset(dataset, indices, name), indices, counts, classOrder };
}
