/**
 * Batches: read the images at the sampler's indices, transform each one with the batch's random
 * stream, and stack them into one [B, C, H, W] float array for the model. No tensors are made
 * here, so nothing in data loading can leak; the caller turns the arrays into tensors.
 */
import { readFile } from 'node:fs/promises';
import type { Rng } from '../train/rng.ts';
import type { Dataset } from './dataset.ts';
import { decodeImage } from './decode.ts';
import { DataError, isDataError, reason } from './errors.ts';
import { type Image, imageFromBytes } from './image.ts';
import { type TransformSpec, applyTransforms } from './transforms.ts';

export interface Batch {
  /** [B, C, H, W] row-major. */
  readonly images: Float32Array;
  readonly shape: readonly [number, number, number, number];
  readonly labels: Int32Array;
  /** Dataset indices of the rows, in order. */
  readonly indices: Int32Array;
}

/** For file datasets, point at the split-list line too. */
function located(dataset: Dataset, index: number, error: unknown): DataError {
  const file = dataset.kind === 'files' ? dataset.files[index]! : dataset.name;
  const inner = isDataError(error) ? error : new DataError('io', file, `cannot read (${reason(error)})`);
  if (dataset.kind === 'files' && dataset.listedIn) {
    return new DataError(inner.kind, dataset.listedIn.file, `${inner.file}: ${inner.problem}`, dataset.listedIn.lines[index]);
  }
  return inner;
}

/** Image `index` untransformed, pixels in 0..1 (byte datasets) or as stored (float datasets). */
export async function loadImage(dataset: Dataset, index: number): Promise<Image> {
  if (!(Number.isInteger(index) && index >= 0 && index < dataset.labels.length)) {
    throw new Error(`image index ${index} is outside ${dataset.name} (size ${dataset.labels.length})`);
  }
  if (dataset.kind === 'memory') {
    const [c, h, w] = dataset.shape;
    const size = c * h * w;
    const pixels = dataset.images.subarray(index * size, (index + 1) * size);
    if (pixels instanceof Uint8Array) return imageFromBytes(pixels, c, h, w);
    return { data: Float32Array.from(pixels), channels: c, height: h, width: w };
  }
  const file = dataset.files[index]!;
  try {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new DataError('io', file, code === 'ENOENT' ? 'image not found' : `cannot read (${reason(error)})`);
    }
    return decodeImage(bytes, file, dataset.channels);
  } catch (error) {
    throw located(dataset, index, error);
  }
}

/**
 * The batch of images at `indices`, each passed through `transforms` in order, drawing from `rng`
 * image by image (so the result depends only on the indices and the rng's stream).
 */
export async function loadBatch(
  dataset: Dataset,
  indices: Int32Array,
  transforms: readonly TransformSpec[],
  rng: Rng,
): Promise<Batch> {
  const raw = await Promise.all(Array.from(indices, (i) => loadImage(dataset, i)));
  const images = raw.map((image) => applyTransforms(transforms, image, rng));
  const first = images[0];
  if (!first) throw new Error('loadBatch needs at least one index');
  const per = first.data.length;
  images.forEach((image, k) => {
    if (image.channels !== first.channels || image.height !== first.height || image.width !== first.width) {
      const what = dataset.kind === 'files' ? dataset.files[indices[k]!]! : dataset.name;
      throw new DataError(
        'shape',
        what,
        `image is ${image.channels}x${image.height}x${image.width} after transforms but the batch's first is ` +
          `${first.channels}x${first.height}x${first.width}; add a resize or crop to the transforms`,
      );
    }
  });
  const out = new Float32Array(images.length * per);
  images.forEach((image, k) => out.set(image.data, k * per));
  const labels = Int32Array.from(indices, (i) => dataset.labels[i]!);
  return { images: out, shape: [images.length, first.channels, first.height, first.width], labels, indices: Int32Array.from(indices) };
}
