/**
 * `lpt predict`: image files through the plan's test transforms (the pipeline its first evaluate
 * block's split applies, as the run's own evaluation) and the trained model, the top K classes
 * with their probabilities per image. One expert gives softmax(s * z), the LPT++ mixture the
 * scorer's mixed probabilities: the argmax is the class the evaluation counts.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { transformsOf } from '../build/splits.ts';
import { loadBatch } from '../data/batch.ts';
import type { FileDataset } from '../data/dataset.ts';
import { imagesUnder } from '../data/files.ts';
import { expertOutput, predictMixtureProbabilities } from '../eval/predict.ts';
import { COMPUTE_QUERIES } from '../model/query.ts';
import type { EvalTarget } from '../run/evaluate.ts';
import type { TrainedRun } from './trained_run.ts';
import { UseError } from './use_error.ts';

export interface Prediction {
  readonly file: string;
  /** The K most probable classes, most probable first. */
  readonly top: readonly { readonly class: number; readonly name: string; readonly probability: number }[];
}

/** The image files of `inputs`: files as given, folders searched recursively for .jpg, .jpeg and .png. */
export async function imageFiles(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (info === null) throw new UseError('no such file or folder', { file: input });
    if (!info.isDirectory()) files.push(resolve(input));
    else {
      const found = await imagesUnder(input);
      if (found.length === 0) throw new UseError('the folder holds no .jpg, .jpeg or .png images', { file: input });
      files.push(...found);
    }
  }
  return files;
}

/** Class probabilities [B, C] of `target` on x (the caller disposes). */
export async function predictProbabilities(
  target: EvalTarget,
  x: tf.Tensor,
  indices: Int32Array,
): Promise<tf.Tensor2D> {
  if ('scorer' in target)
    return predictMixtureProbabilities(target.experts, target.scorer, x, indices, target.temperatures);
  const out = await expertOutput(target, x, indices, COMPUTE_QUERIES);
  out.features.dispose();
  return out.probs;
}

export async function predictImages(
  trained: TrainedRun,
  target: EvalTarget,
  files: readonly string[],
  top: number,
  batchSize = 250,
): Promise<Prediction[]> {
  const { plan, run } = trained;
  const split = plan.data.splits.find((s) => s.name === plan.evaluation[0]!.split)!;
  const channels = split.channels === 1 ? 1 : 3;
  const classes = plan.classes;
  const names = run.data.train.dataset.classNames ?? Array.from({ length: classes }, (_, c) => String(c));
  const dataset: FileDataset = {
    kind: 'files',
    name: 'predict',
    files,
    labels: new Int32Array(files.length),
    classes,
    counts: new Int32Array(classes),
    channels,
  };
  const transforms = transformsOf(split, true);
  const expected = [channels, split.imageSize, split.imageSize];
  const predictions: Prediction[] = [];
  for (let start = 0; start < files.length; start += batchSize) {
    const indices = Int32Array.from({ length: Math.min(batchSize, files.length - start) }, (_, i) => start + i);
    const batch = await loadBatch(dataset, indices, transforms, { seed: 0, keys: ['predict', start] });
    const shape = batch.shape.slice(1);
    if (split.imageSize !== null && shape.join() !== expected.join())
      throw new UseError(
        `the image is ${shape.join('x')} after the test transforms of split '${split.name}', the model takes ${expected.join('x')}`,
        { file: files[start]! },
      );
    const x = tf.tensor4d(batch.images, [...batch.shape]);
    const probs = await predictProbabilities(target, x, batch.indices).finally(() => x.dispose());
    const values = await probs.data();
    probs.dispose();
    indices.forEach((index, i) => {
      const row = Array.from(values.subarray(i * classes, (i + 1) * classes), (p, c) => ({ class: c, p }));
      row.sort((a, b) => b.p - a.p || a.class - b.class);
      predictions.push({
        file: files[index]!,
        top: row.slice(0, top).map((r) => ({ class: r.class, name: names[r.class]!, probability: r.p })),
      });
    });
  }
  return predictions;
}
