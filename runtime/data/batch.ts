/**
 * Batches: read the images at the sampler's indices, transform each one with its own random
 * stream, and stack them into one [B, C, H, W] float array for the model. Image k of a batch
 * draws from createRng(augment.seed, ...augment.keys, k), so a batch depends only on its
 * indices and key, whichever thread or worker computes each image. File datasets go through an
 * ImageLoader (by default the process's worker pool, runtime/data/pipeline/loader.ts); memory
 * datasets are transformed here. No tensors are made, so nothing in data loading can leak.
 */
import { type StreamKey, createRng } from '../train/rng.ts';
import type { Dataset } from './dataset.ts';
import { DataError, isDataError } from './errors.ts';
import { type Image, imageFromBytes } from './image.ts';
import { type ImageJob, type ImageLoader, finishJob, resultShape } from './pipeline/image_job.ts';
import type { JobResult } from './pipeline/job_result.ts';
import { defaultLoader } from './pipeline/loader.ts';
import { type TransformSpec, applyTransforms } from './transforms.ts';

export interface Batch {
  /** [B, C, H, W] row-major. */
  readonly images: Float32Array;
  readonly shape: readonly [number, number, number, number];
  readonly labels: Int32Array;
  /** Dataset indices of the rows, in order. */
  readonly indices: Int32Array;
}

/** The batch's augmentation key: image k draws from createRng(seed, ...keys, k). */
export interface AugmentKey {
  readonly seed: number;
  readonly keys: readonly StreamKey[];
}

/** For file datasets, point at the split-list line too. Other errors (a transform's) pass unchanged. */
function located(dataset: Dataset, error: unknown, index: number): unknown {
  if (!isDataError(error) || dataset.kind !== 'files' || !dataset.listedIn) return error;
  return new DataError(
    error.kind,
    dataset.listedIn.file,
    `${error.file}: ${error.problem}`,
    dataset.listedIn.lines[index],
  );
}

function checkIndex(dataset: Dataset, index: number): void {
  if (!(Number.isInteger(index) && index >= 0 && index < dataset.labels.length)) {
    throw new Error(`image index ${index} is outside ${dataset.name} (size ${dataset.labels.length})`);
  }
}

function memoryImage(dataset: Dataset & { kind: 'memory' }, index: number): Image {
  const [c, h, w] = dataset.shape;
  const size = c * h * w;
  const pixels = dataset.images.subarray(index * size, (index + 1) * size);
  if (pixels instanceof Uint8Array) return imageFromBytes(pixels, c, h, w);
  return { data: Float32Array.from(pixels), channels: c, height: h, width: w };
}

/** Image `index` of `dataset`, transformed with the stream createRng(augment.seed, ...augment.keys). */
export async function loadTransformed(
  dataset: Dataset,
  index: number,
  transforms: readonly TransformSpec[],
  augment: AugmentKey,
  loader?: ImageLoader,
): Promise<Image> {
  const loaded = await loadUnfinished(dataset, index, transforms, augment, loader);
  return 'job' in loaded ? finishJob(loaded.job, loaded.result) : loaded;
}

/** A memory dataset's image, or a file's job and its result, not yet turned into floats. */
async function loadUnfinished(
  dataset: Dataset,
  index: number,
  transforms: readonly TransformSpec[],
  augment: AugmentKey,
  loader?: ImageLoader,
): Promise<Image | { job: ImageJob; result: JobResult }> {
  checkIndex(dataset, index);
  if (dataset.kind === 'memory')
    return applyTransforms(transforms, memoryImage(dataset, index), createRng(augment.seed, ...augment.keys));
  const job = {
    file: dataset.files[index]!,
    channels: dataset.channels,
    transforms,
    seed: augment.seed,
    keys: augment.keys,
  };
  try {
    return { job, result: await (loader ?? (await defaultLoader())).load(job) };
  } catch (error) {
    throw located(dataset, error, index);
  }
}

/** Image `index` untransformed, pixels in 0..1 (byte datasets and files) or as stored (float datasets). */
export function loadImage(dataset: Dataset, index: number, loader?: ImageLoader): Promise<Image> {
  return loadTransformed(dataset, index, [], { seed: 0, keys: [] }, loader);
}

/** The batch of images at `indices`, image k passed through `transforms` with its own stream. */
export async function loadBatch(
  dataset: Dataset,
  indices: Int32Array,
  transforms: readonly TransformSpec[],
  augment: AugmentKey,
  loader?: ImageLoader,
): Promise<Batch> {
  const loaded = await Promise.all(
    Array.from(indices, (index, k) =>
      loadUnfinished(dataset, index, transforms, { seed: augment.seed, keys: [...augment.keys, k] }, loader),
    ),
  );
  const shapes = loaded.map((l) => ('job' in l ? resultShape(l.job, l.result) : [l.channels, l.height, l.width]));
  const first = shapes[0];
  if (!first) throw new Error('loadBatch needs at least one index');
  shapes.forEach((shape, k) => {
    if (shape.join() !== first.join()) {
      const what = dataset.kind === 'files' ? dataset.files[indices[k]!]! : dataset.name;
      throw new DataError(
        'shape',
        what,
        `image is ${shape.join('x')} after transforms but the batch's first is ${first.join('x')}; add a resize or crop to the transforms`,
      );
    }
  });
  // Each image is finished straight into its slot of the batch (no array of its own, no copy).
  const per = first[0]! * first[1]! * first[2]!;
  const out = new Float32Array(loaded.length * per);
  loaded.forEach((l, k) => {
    const slot = out.subarray(k * per, (k + 1) * per);
    if ('job' in l) finishJob(l.job, l.result, slot);
    else slot.set(l.data);
  });
  const labels = Int32Array.from(indices, (i) => dataset.labels[i]!);
  return {
    images: out,
    shape: [loaded.length, first[0]!, first[1]!, first[2]!],
    labels,
    indices: Int32Array.from(indices),
  };
}
