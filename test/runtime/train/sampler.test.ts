/**
 * Sampler statistics on a long-tailed label set (MNIST-LT-like counts 500 ... 5), determinism
 * (a batch is a function of seed, epoch and step alone, so a resumed run sees the same batches)
 * and the dual-sampling weight schedule.
 */
import test from 'ava';
import {
  type BatchSampler,
  classAwareSampler,
  dualSampler,
  dualWeight,
  instanceSampler,
  squareRootSampler,
  stepsPerEpoch,
} from '../../../runtime/train/sampler.ts';

const COUNTS = [500, 299, 179, 107, 64, 38, 22, 13, 8, 5];
const CLASSES = COUNTS.length;
const LABELS = Int32Array.from(COUNTS.flatMap((n, c) => new Array<number>(n).fill(c)));
const N = LABELS.length;

/** Class frequencies over `epochs` full epochs. */
function classFrequencies(sampler: BatchSampler, epochs: number): number[] {
  const hits = new Array<number>(CLASSES).fill(0);
  let total = 0;
  for (let e = 0; e < epochs; e++) {
    for (let s = 0; s < sampler.stepsPerEpoch; s++) {
      for (const i of sampler.batch(e, s)) {
        hits[LABELS[i]!]!++;
        total++;
      }
    }
  }
  return hits.map((h) => h / total);
}

const normalised = (weights: number[]): number[] => {
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / sum);
};

test('an epoch is ceil(N / batch) steps (floor with dropLast)', (t) => {
  t.is(stepsPerEpoch(1235, 64), 20);
  t.is(stepsPerEpoch(1235, 64, true), 19);
  t.is(stepsPerEpoch(10, 64, true), 1);
  t.is(classAwareSampler(LABELS, CLASSES, { batchSize: 64, seed: 0 }).stepsPerEpoch, Math.ceil(N / 64));
});

test('instance sampling visits every image exactly once per epoch, in a new order each epoch', (t) => {
  const sampler = instanceSampler(N, { batchSize: 64, seed: 1 });
  const epoch = (e: number): number[] =>
    Array.from({ length: sampler.stepsPerEpoch }, (_, s) => Array.from(sampler.batch(e, s))).flat();
  const first = epoch(0);
  t.deepEqual(
    [...first].sort((a, b) => a - b),
    Array.from({ length: N }, (_, i) => i),
  );
  t.notDeepEqual(epoch(1), first);
  t.is(sampler.batch(0, sampler.stepsPerEpoch - 1).length, N - 64 * (sampler.stepsPerEpoch - 1));
  // Frequencies are therefore proportional to n_j.
  classFrequencies(sampler, 1).forEach((f, j) => t.true(Math.abs(f - COUNTS[j]! / N) < 1e-12));
});

test('class-aware batches have about uniform class frequency', (t) => {
  const sampler = classAwareSampler(LABELS, CLASSES, { batchSize: 32, seed: 2 });
  for (const f of classFrequencies(sampler, 20)) t.true(Math.abs(f - 0.1) < 0.01, `class frequency ${f}`);
});

test('class-aware takes perClass consecutive images of one class per visit', (t) => {
  const sampler = classAwareSampler(LABELS, CLASSES, { batchSize: 40, seed: 3, perClass: 4 });
  const batch = Array.from(sampler.batch(0, 0), (i) => LABELS[i]!);
  for (let v = 0; v < 10; v++) t.is(new Set(batch.slice(4 * v, 4 * v + 4)).size, 1);
  // 40 = 10 visits of 4 and each class once per cycle of the reshuffled class list.
  t.is(new Set(batch.filter((_, k) => k % 4 === 0)).size, 10);
});

test('class-aware cycles through a tail class before repeating an image', (t) => {
  const sampler = classAwareSampler(LABELS, CLASSES, { batchSize: 50, seed: 4, perClass: 5 });
  const tail = Array.from(sampler.batch(0, 0)).filter((i) => LABELS[i] === 9);
  t.is(tail.length, 5);
  t.is(new Set(tail).size, 5); // all five images of the five-image class
});

test('square-root sampling gives class frequency proportional to sqrt(n_j)', (t) => {
  const sampler = squareRootSampler(LABELS, CLASSES, { batchSize: 64, seed: 5 });
  const expected = normalised(COUNTS.map(Math.sqrt));
  classFrequencies(sampler, 40).forEach((f, j) =>
    t.true(Math.abs(f - expected[j]!) < 0.01, `class ${j}: ${f} vs ${expected[j]}`),
  );
});

test('batches depend only on (seed, epoch, step): random access equals sequential iteration', (t) => {
  for (const make of [
    (seed: number) => instanceSampler(N, { batchSize: 16, seed }),
    (seed: number) => classAwareSampler(LABELS, CLASSES, { batchSize: 16, seed }),
    (seed: number) => squareRootSampler(LABELS, CLASSES, { batchSize: 16, seed }),
  ]) {
    const run = make(7);
    const sequential = [0, 1, 2].map((e) => run.batch(e, 5));
    const resumed = make(7);
    t.deepEqual(resumed.batch(2, 5), sequential[2]!); // a fresh sampler jumping straight to epoch 2
    t.deepEqual(resumed.batch(0, 5), sequential[0]!);
    t.notDeepEqual(make(8).batch(0, 5), sequential[0]!);
  }
});

test('dual sampling pairs a class-aware and an instance batch with weight eta(e)', (t) => {
  const sampler = dualSampler(LABELS, CLASSES, { batchSize: 32, seed: 9, epochs: 10 });
  const b = sampler.batch(3, 2);
  t.deepEqual(b.balanced, sampler.balanced.batch(3, 2));
  t.deepEqual(b.instance, sampler.instance.batch(3, 2));
  t.is(b.weight, (0.5 * (10 - 3)) / 10);
  t.is(sampler.stepsPerEpoch, Math.ceil(N / 32));
  t.notDeepEqual(b.balanced, b.instance);
});

test('dual weight: 0.5 at epoch 0, linear decay, never negative', (t) => {
  t.deepEqual(
    [0, 1, 2, 3, 4].map((e) => dualWeight(e, 4)),
    [0.5, 0.375, 0.25, 0.125, 0],
  );
  t.is(dualWeight(90, 90), 0);
  t.is(dualWeight(100, 90), 0);
  t.is(dualWeight(0, 10, 1), 1);
});

test('bad arguments are refused', (t) => {
  const sampler = instanceSampler(N, { batchSize: 64, seed: 0 });
  t.throws(() => sampler.batch(0, sampler.stepsPerEpoch), { message: /outside/ });
  t.throws(() => instanceSampler(N, { batchSize: 0, seed: 0 }));
  t.throws(() => classAwareSampler(Int32Array.of(0, 5), 3, { batchSize: 2, seed: 0 }), { message: /label 5/ });
});
