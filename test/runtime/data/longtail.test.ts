/** Long-tail subsampling: MNIST-LT counts, determinism for a seed, class shuffling, step profile. */
import test from 'ava';
import { countPerClass } from '../../../runtime/data/dataset.ts';
import { loadMnist } from '../../../runtime/data/idx.ts';
import { longTail, longTailCounts } from '../../../runtime/data/longtail.ts';

const mnist = loadMnist('train');

test('exp profile, ratio 100, max 500 over 10 classes: 500 ... 5', (t) => {
  const counts = longTailCounts(10, 'exp', 100, 500);
  // floor(500 * 100^(-i/9)), worked out separately: 500, 299.7, 179.7, 107.7, 64.6, 38.7, 23.2, 13.9, 8.3, 5
  t.deepEqual(counts, [500, 299, 179, 107, 64, 38, 23, 13, 8, 5]);
  t.is(
    counts.reduce((a, b) => a + b, 0),
    1236,
  );
});

test('step profile: half the classes at max, half at max / ratio', (t) => {
  t.deepEqual(longTailCounts(5, 'step', 10, 200), [200, 200, 20, 20, 20]);
  t.deepEqual(longTailCounts(4, 'step', 100, 500), [500, 500, 5, 5]);
  t.throws(() => longTailCounts(4, 'exp', 0.5, 500), { message: /ratio/ });
});

test('MNIST-LT: per-class counts recorded, images drawn from the right classes, dataset order kept', async (t) => {
  const train = await mnist;
  const lt = longTail(train, { profile: 'exp', ratio: 100, max: 500, seed: 0 });
  t.deepEqual(Array.from(lt.counts), [500, 299, 179, 107, 64, 38, 23, 13, 8, 5]);
  t.is(lt.dataset.labels.length, 1236);
  t.deepEqual(lt.dataset.counts, lt.counts);
  t.deepEqual(countPerClass(lt.dataset.labels, 10), lt.counts);
  t.true(lt.indices.every((v, i) => i === 0 || v > lt.indices[i - 1]!));
  lt.indices.forEach((source, i) => {
    if (i % 97 === 0) t.is(lt.dataset.labels[i], train.labels[source]);
  });
  // Pixels are copied with their image.
  const k = 100;
  t.deepEqual(
    lt.dataset.images.subarray(k * 784, (k + 1) * 784),
    train.images.subarray(lt.indices[k]! * 784, (lt.indices[k]! + 1) * 784),
  );
});

test('the chosen images are a function of the seed', async (t) => {
  const train = await mnist;
  const options = { profile: 'exp', ratio: 100, max: 500 } as const;
  const a = longTail(train, { ...options, seed: 1 });
  const b = longTail(train, { ...options, seed: 1 });
  const c = longTail(train, { ...options, seed: 2 });
  t.deepEqual(a.indices, b.indices);
  t.notDeepEqual(a.indices, c.indices);
});

test('shuffled class order gives the head to a seeded class and records the order', async (t) => {
  const train = await mnist;
  const lt = longTail(train, { profile: 'exp', ratio: 10, max: 100, seed: 3, shuffleClasses: true });
  const expected = longTailCounts(10, 'exp', 10, 100);
  lt.classOrder.forEach((label, rank) => t.is(lt.counts[label], expected[rank]));
  t.notDeepEqual(Array.from(lt.classOrder), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.deepEqual([...lt.classOrder].sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('asking a class for more images than it has is a clear error', async (t) => {
  const train = await mnist;
  t.throws(() => longTail(train, { profile: 'exp', ratio: 10, max: 6000, seed: 0 }), {
    message: /class \d has \d+ images, fewer than the 6000/,
  });
  // Default max: the smallest class (MNIST's 5 has 5421 images).
  t.is(longTail(train, { profile: 'step', ratio: 2, seed: 0 }).counts[0], 5421);
});
