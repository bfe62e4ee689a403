/**
 * Two-digit numbers "00"-"99" composed from MNIST digits: a 100-class data set the shipped
 * backbones (pretrained on Fashion-MNIST) have never seen, in the 28x28 frame they take. Class
 * 10a + b shows digit a on the left and digit b on the right, each MNIST image squeezed to half
 * width by averaging pairs of columns (the digits keep their full height; with 7-pixel patches the
 * left digit fills patch columns 0-1 and the right one 2-3). Which digit images compose each
 * number is a seeded choice: each digit's images are used in a seeded order, cycling, so every
 * image is used about equally often (2 times at 600 per class from MNIST's 6,000 per digit).
 */
import { createRng, permutation } from '../train/rng.ts';
import { countPerClass, type InMemoryDataset } from './dataset.ts';
import { DataError } from './errors.ts';

export const PAIR_CLASSES = 100;

export interface PairOptions {
  /** Images composed per class. */
  readonly perClass: number;
  readonly seed: number;
}

/** The class labels "00" ... "99". */
export const PAIR_CLASS_NAMES: readonly string[] = Array.from({ length: PAIR_CLASSES }, (_, c) =>
  String(c).padStart(2, '0'),
);

/** Each digit's images in a seeded order, handed out one after another (cycling). */
function digitDealer(digits: InMemoryDataset, seed: number): (digit: number) => number {
  const byDigit: number[][] = Array.from({ length: 10 }, () => []);
  digits.labels.forEach((label, i) => byDigit[label]!.push(i));
  const orders = byDigit.map((images, d) => {
    if (images.length === 0) throw new DataError('config', digits.name, `has no image of the digit ${d}`);
    const order = permutation(images.length, createRng(seed, 'mnist_pairs', d));
    return Int32Array.from(order, (k) => images[k]!);
  });
  const next = new Int32Array(10);
  return (digit) => {
    const order = orders[digit]!;
    const image = order[next[digit]! % order.length]!;
    next[digit]!++;
    return image;
  };
}

/** Writes digit image `from` squeezed to half width into columns [x0, x0 + w/2) of `out` at `to`. */
function squeezeInto(images: Uint8Array, from: number, out: Uint8Array, to: number, h: number, w: number, x0: number) {
  const src = from * h * w;
  const dst = to * h * w;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w / 2; x++) {
      const a = images[src + y * w + 2 * x]!;
      const b = images[src + y * w + 2 * x + 1]!;
      out[dst + y * w + x0 + x] = (a + b + 1) >> 1;
    }
  }
}

/** perClass images of each of the 100 numbers, class by class (labels 0, 0, ..., 99). */
export function composePairs(digits: InMemoryDataset, options: PairOptions): InMemoryDataset {
  const [c, h, w] = digits.shape;
  if (c !== 1 || w % 2 !== 0 || !(digits.images instanceof Uint8Array) || digits.classes !== 10) {
    throw new DataError('config', digits.name, `is not an MNIST-like set of grey 0..255 digits (shape ${c}x${h}x${w})`);
  }
  const deal = digitDealer(digits, options.seed);
  const n = PAIR_CLASSES * options.perClass;
  const images = new Uint8Array(n * h * w);
  const labels = new Int32Array(n);
  for (let label = 0, i = 0; label < PAIR_CLASSES; label++) {
    for (let k = 0; k < options.perClass; k++, i++) {
      squeezeInto(digits.images, deal(Math.floor(label / 10)), images, i, h, w, 0);
      squeezeInto(digits.images, deal(label % 10), images, i, h, w, w / 2);
      labels[i] = label;
    }
  }
  return {
    kind: 'memory',
    name: `${digits.name} pairs`,
    images,
    shape: [1, h, w],
    labels,
    classes: PAIR_CLASSES,
    counts: countPerClass(labels, PAIR_CLASSES),
    classNames: PAIR_CLASS_NAMES,
  };
}
