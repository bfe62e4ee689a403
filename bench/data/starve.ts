/**
 * Does the loader starve the training step? A stand-in step at ViT-B/16-shaped input: a
 * [B, 3, 224, 224] batch as the [B * 196, 768] matrix of the patch embedding through one
 * trainable 768x768 layer, forward, the weight gradient (written out: gradients are taken in
 * runtime/train/step.ts only) and an SGD update. It is timed on one batch held in
 * memory (the data is always ready), then on batches from the real loader with read-ahead, where
 * the time spent waiting for the next batch is counted too. The stand-in is far cheaper than a
 * real ViT-B step (about 1/90 of its FLOPs), so it asks much more of the loader.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FileDataset } from '../../runtime/data/dataset.ts';
import type { DecoderChoice } from '../../runtime/data/pipeline/decoder.ts';
import type { TransformSpec } from '../../runtime/data/transforms.ts';
import { batchReader, withLoader } from './lpt_loader.ts';

export interface Starvation {
  readonly step_s_ready: number;
  readonly step_s_loader: number;
  /** Seconds per step spent waiting for the loader. */
  readonly wait_s: number;
  readonly steps: number;
  readonly batch: number;
}

/** loss = mean(relu(P W)^2); its weight gradient written out (P^T · 2 relu(P W) / n), as autodiff would compute it. */
function standInStep(weights: tf.Variable<tf.Rank.R2>): (x: tf.Tensor4D) => Promise<void> {
  return async (x) => {
    const b = x.shape[0];
    const loss = tf.tidy(() => {
      const patches = tf.reshape(x, [b * 196, 768]); // the patch matrix's shape (a reshape, not a gather)
      const activations = tf.relu(tf.matMul(patches, weights));
      const gradient = tf.matMul(patches, tf.mul(activations, 2 / activations.size), true, false);
      weights.assign(tf.sub(weights, tf.mul(gradient, 1e-3)));
      return tf.mean(tf.square(activations));
    });
    await loss.data();
    loss.dispose();
  };
}

export async function measureStarvation(
  dataset: FileDataset,
  transforms: readonly TransformSpec[],
  options: { workers: number; batch: number; steps: number; decoder: DecoderChoice },
): Promise<Starvation> {
  const weights = tf.variable(tf.randomNormal([768, 768], 0, 0.02, 'float32', 1)) as tf.Variable<tf.Rank.R2>;
  const step = standInStep(weights);
  try {
    return await withLoader(options.workers, options.decoder, async (loader) => {
      const reader = batchReader(dataset, transforms, options.batch, loader);
      const first = await reader.take(0);
      const held = tf.tensor4d(first.images, [...first.shape]);
      await step(held);
      let started = performance.now();
      for (let s = 0; s < options.steps; s++) await step(held);
      const ready = (performance.now() - started) / 1000 / options.steps;
      held.dispose();
      let waited = 0;
      started = performance.now();
      for (let s = 1; s <= options.steps; s++) {
        const asked = performance.now();
        const batch = await reader.take(s);
        waited += performance.now() - asked;
        const x = tf.tensor4d(batch.images, [...batch.shape]);
        await step(x);
        x.dispose();
      }
      const withLoaderSeconds = (performance.now() - started) / 1000 / options.steps;
      return {
        step_s_ready: ready,
        step_s_loader: withLoaderSeconds,
        wait_s: waited / 1000 / options.steps,
        steps: options.steps,
        batch: options.batch,
      };
    });
  } finally {
    weights.dispose();
  }
}
