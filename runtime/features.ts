/**
 * The core of `lpt features`: frozen-backbone features for a batch of images, the contract used
 * for linear probes and for parity with PyTorch. Reads a float NCHW .npy, runs the ViT in batches
 * (bounded memory), and writes the final-LayerNorm CLS features [B, D] as a float32 .npy
 * (atomically). Bad files raise WeightsError naming the file (and tensor); the CLI prints it.
 */
import { resolveModelPaths } from './model/kernels/paths.ts';
import type { SpeedSettings } from './model/speed.ts';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './backend/init.ts';
import type { BackendChoice } from './backend/preference.ts';
import { createVit } from './model/create_vit.ts';
import { disposeVit, forwardFeatures, type Vit } from './model/vit.ts';
import type { VitConfig } from './model/vit_config.ts';
import { WeightsError } from './weights/errors.ts';
import type { WeightFormat, WeightNaming } from '../plan/enums.ts';
import { loadBackboneWeights } from './weights/load.ts';
import { readNpy, writeNpy } from './weights/npy.ts';
import { formatShape, type Float32Tensor } from './weights/tensor.ts';

export interface FeaturesOptions {
  readonly weights: string;
  readonly naming: WeightNaming;
  readonly format?: WeightFormat;
  readonly heads?: number;
  readonly input: string;
  readonly output: string;
  /** Images per forward pass (default 32): bounds activation memory. */
  readonly batchSize?: number;
  /** Backend preference ('auto', 'wasm', 'cpu', ...); default: keep the current backend, or 'auto' when none is set. */
  readonly backend?: string;
  /** One line per adjustment or fact worth telling (backend choice, ignored tensors). */
  readonly onNote?: (note: string) => void;
  /** Speed levers (never change the features); default: the fastest available. */
  readonly speed?: SpeedSettings;
}

export interface FeaturesResult {
  readonly config: VitConfig;
  readonly backend: string;
  readonly images: number;
  readonly dim: number;
  readonly seconds: number;
}

export async function extractFeatures(options: FeaturesOptions): Promise<FeaturesResult> {
  const started = performance.now();
  const note = options.onNote ?? (() => {});
  const backend = await chooseBackend(options.backend, options.speed);
  if (backend) note(`backend ${backend.name}: ${backend.reason}`);
  const loaded = loadBackboneWeights(options.weights, {
    naming: options.naming,
    format: options.format,
    heads: options.heads,
  });
  if (loaded.ignored.length > 0)
    note(
      `${options.weights}: ignored ${loaded.ignored.length} tensors not part of the backbone (${loaded.ignored.slice(0, 3).join(', ')}${loaded.ignored.length > 3 ? ', ...' : ''})`,
    );
  const images = readImages(options.input, loaded.config);
  const vit = createVit(loaded.config, loaded.tensors, {
    source: options.weights,
    onNote: note,
    paths: resolveModelPaths(options.speed),
  });
  try {
    const features = await computeFeatures(vit, images, options.batchSize ?? 32);
    writeNpy(options.output, features);
    return {
      config: loaded.config,
      backend: tf.getBackend(),
      images: features.shape[0]!,
      dim: features.shape[1]!,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    disposeVit(vit);
  }
}

/** Final-LayerNorm CLS features [B, D] for images [B, C, S, S], `batchSize` images at a time. */
export async function computeFeatures(vit: Vit, images: Float32Tensor, batchSize: number): Promise<Float32Tensor> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batch size must be a positive integer (got ${batchSize})`);
  const [count, ...imageShape] = images.shape as [number, number, number, number];
  const perImage = images.data.length / Math.max(1, count);
  const dim = vit.config.dim;
  const out = new Float32Array(count * dim);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    // tidy returns the tensor, not its data: tidy walks a returned typed array looking for tensors.
    const features = tf.tidy(() => {
      const x = tf.tensor4d(images.data.subarray(start * perImage, end * perImage), [end - start, ...imageShape]);
      return forwardFeatures(vit, x);
    });
    try {
      // data(), not dataSync(): the webgpu backend can only read asynchronously in Node.
      out.set((await features.data()) as Float32Array, start * dim);
    } finally {
      features.dispose();
    }
  }
  return { dtype: 'float32', shape: [count, dim], data: out };
}

/** The input .npy as float32 [B, C, S, S], checked against the backbone. */
export function readImages(path: string, config: VitConfig): Float32Tensor {
  const images = readNpy(path);
  const want = `[B, ${config.channels}, ${config.imageSize}, ${config.imageSize}]`;
  if (images.dtype !== 'float32') {
    throw new WeightsError(
      'dtype',
      path,
      `holds ${images.dtype} values; the backbone needs float images ${want} (NCHW)`,
    );
  }
  const [, c, h, w] = images.shape;
  if (images.shape.length !== 4 || c !== config.channels || h !== config.imageSize || w !== config.imageSize) {
    throw new WeightsError('shape', path, `has shape ${formatShape(images.shape)}; the backbone needs ${want} (NCHW)`);
  }
  return images;
}

async function chooseBackend(
  preference: string | undefined,
  speed: SpeedSettings | undefined,
): Promise<BackendChoice | null> {
  if (preference === undefined && tf.engine().backendName != null) return null;
  return initBackend({
    preference: preference ?? 'auto',
    source: preference === undefined ? 'default' : '--backend',
    ...(speed ? { kernels: speed } : {}),
  });
}
