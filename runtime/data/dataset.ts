/**
 * Dataset values. A dataset is either held in memory ([N, C, H, W] pixels, as IDX and CIFAR files
 * give them) or a list of image files decoded lazily per batch (image folders and split lists,
 * as ImageNet-LT, Places-LT and iNaturalist ship). Both carry integer labels, the class count and
 * the images per class, which the long-tail subsampler, the samplers, the class-prior losses and
 * the shot groups all read.
 */

export interface DatasetBase {
  /** What it was loaded from, for messages and results. */
  readonly name: string;
  /** [N] class index per image, 0 <= label < classes. */
  readonly labels: Int32Array;
  readonly classes: number;
  /** [classes] images per class. */
  readonly counts: Int32Array;
  readonly classNames?: readonly string[];
}

export interface InMemoryDataset extends DatasetBase {
  readonly kind: 'memory';
  /** [N, C, H, W] row-major; Uint8Array holds 0..255, Float32Array holds values as they are. */
  readonly images: Uint8Array | Float32Array;
  /** [C, H, W] of one image. */
  readonly shape: readonly [number, number, number];
}

export interface FileDataset extends DatasetBase {
  readonly kind: 'files';
  /** [N] absolute image paths. */
  readonly files: readonly string[];
  /** Channels every decoded image is converted to (3: RGB, 1: luminance). */
  readonly channels: 1 | 3;
  /** Where each entry was listed (split-list file and 1-based line), for error messages. */
  readonly listedIn?: { readonly file: string; readonly lines: Int32Array };
}

export type Dataset = InMemoryDataset | FileDataset;

export function datasetSize(dataset: Dataset): number {
  return dataset.labels.length;
}

/** Images per class. Labels must already be checked to lie in [0, classes). */
export function countPerClass(labels: Int32Array, classes: number): Int32Array {
  const counts = new Int32Array(classes);
  for (const label of labels) counts[label]!++;
  return counts;
}

/** The images at `indices` (in that order) as a new dataset; pixels are copied for memory datasets. */
export function subsetDataset<D extends Dataset>(dataset: D, indices: Int32Array, name = dataset.name): D {
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) labels[i] = dataset.labels[indices[i]!]!;
  const counts = countPerClass(labels, dataset.classes);
  if (dataset.kind === 'memory') {
    const [c, h, w] = dataset.shape;
    const size = c * h * w;
    const images =
      dataset.images instanceof Float32Array
        ? new Float32Array(indices.length * size)
        : new Uint8Array(indices.length * size);
    for (let i = 0; i < indices.length; i++) {
      const from = indices[i]! * size;
      images.set(dataset.images.subarray(from, from + size), i * size);
    }
    return { ...dataset, name, labels, counts, images } as D;
  }
  const files = Array.from(indices, (i) => dataset.files[i]!);
  const listedIn = dataset.listedIn && {
    file: dataset.listedIn.file,
    lines: Int32Array.from(indices, (i) => dataset.listedIn!.lines[i]!),
  };
  return { ...dataset, name, labels, counts, files, ...(listedIn ? { listedIn } : {}) } as D;
}
