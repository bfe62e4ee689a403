/**
 * Holding a validation split out of a training source: per class min(perClass, n - 1) images
 * (a class keeps at least one training image), a seeded choice per class so that one class's
 * choice does not depend on the others'. Both parts stay in dataset order. Several held-out
 * splits are consecutive parts of each class's order: `skip` images of it are taken before.
 */
import { createRng, permutation } from '../train/rng.ts';
import { type Dataset, subsetDataset } from './dataset.ts';

export interface HoldOutResult<D extends Dataset> {
  readonly heldOut: D;
  readonly rest: D;
}

export function holdOutIndices(
  labels: Int32Array,
  classes: number,
  perClass: number,
  seed: number,
  skip = 0,
): { heldOut: Int32Array; rest: Int32Array } {
  if (!(Number.isInteger(perClass) && perClass > 0))
    throw new Error(`images held out per class must be a positive integer, got ${perClass}`);
  if (!(Number.isInteger(skip) && skip >= 0))
    throw new Error(`images skipped per class must be an integer >= 0, got ${skip}`);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((label, i) => byClass[label]!.push(i));
  const held = new Uint8Array(labels.length);
  byClass.forEach((members, label) => {
    const order = permutation(members.length, createRng(seed, 'holdout', label));
    const end = Math.min(skip + perClass, members.length - 1);
    for (let k = skip; k < end; k++) held[members[order[k]!]!] = 1;
  });
  const heldOut: number[] = [];
  const rest: number[] = [];
  held.forEach((h, i) => (h ? heldOut : rest).push(i));
  return { heldOut: Int32Array.from(heldOut), rest: Int32Array.from(rest) };
}

/** The train split keeps `rest` with skip 0 and perClass the total over the held-out splits. */
export function holdOut<D extends Dataset>(dataset: D, perClass: number, seed: number, skip = 0): HoldOutResult<D> {
  const { heldOut, rest } = holdOutIndices(dataset.labels, dataset.classes, perClass, seed, skip);
  return {
    heldOut: subsetDataset(dataset, heldOut, `${dataset.name}|held out (${perClass} per class)`),
    rest: subsetDataset(dataset, rest, `${dataset.name}|without the ${perClass} per class held out`),
  };
}
