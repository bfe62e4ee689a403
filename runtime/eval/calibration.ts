/**
 * Temperature scaling of the experts before they are mixed (the plan's `scorer.calibration`):
 * for each expert one T_e > 0 minimising the mean NLL of softmax(logits / T_e) over a split's
 * images, the experts frozen. With b = 1/T the NLL is convex in b,
 *   f(b) = mean_i [ logsumexp_c(b z_ic) - b z_iy ],  f'(b) = mean_i [ E_p[z_i] - z_iy ],
 *   f''(b) = mean_i Var_p[z_i] >= 0,
 * so a safeguarded Newton iteration in float64 finds the optimum exactly and deterministically
 * (checked against PyTorch's LBFGS on a fixture). Logits here are the head's scaled logits, the
 * ones whose softmax the expert gives the scorer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadBatch } from '../data/batch.ts';
import { applyHead } from '../model/head.ts';
import type { LptModel } from '../model/lpt_model.ts';
import { COMPUTE_QUERIES } from '../model/query.ts';
import type { PreparedSplit } from '../build/splits.ts';
import { predictFeatures } from './predict.ts';

/** Range of the inverse temperature b = 1/T: T within [1/100, 100]. */
const B_MIN = 0.01;
const B_MAX = 100;

/** f(b), f'(b), f''(b) of the mean NLL at inverse temperature b (row-major logits [N, C]). */
function nllDerivatives(
  logits: Float32Array,
  labels: Int32Array,
  classes: number,
  b: number,
): [number, number, number] {
  let f = 0;
  let g = 0;
  let h = 0;
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    const row = i * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, b * logits[row + c]!);
    let sum = 0;
    let mean = 0;
    let second = 0;
    for (let c = 0; c < classes; c++) {
      const z = logits[row + c]!;
      const w = Math.exp(b * z - max);
      sum += w;
      mean += w * z;
      second += w * z * z;
    }
    mean /= sum;
    second /= sum;
    const zy = logits[row + labels[i]!]!;
    f += max + Math.log(sum) - b * zy;
    g += mean - zy;
    h += second - mean * mean;
  }
  return [f / n, g / n, h / n];
}

/** The NLL-optimal temperature T for logits [N, C] (row-major) and labels [N]. */
export function fitTemperature(logits: Float32Array, labels: Int32Array, classes: number): number {
  if (labels.length === 0) throw new Error('temperature scaling needs at least one image');
  if (logits.length !== labels.length * classes)
    throw new Error(`temperature scaling: ${logits.length} logits for ${labels.length} images of ${classes} classes`);
  let lo = B_MIN;
  let hi = B_MAX;
  let b = 1;
  for (let iter = 0; iter < 100; iter++) {
    const [, g, h] = nllDerivatives(logits, labels, classes, b);
    // Convexity: the optimum lies where g changes sign; keep a bracket for the safeguard.
    if (g > 0) hi = b;
    else lo = b;
    let next = h > 0 ? b - g / h : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - b) <= 1e-12 * Math.max(1, b)) {
      b = next;
      break;
    }
    b = next;
  }
  return 1 / b;
}

/** One expert's scaled logits on every image of a split, row = dataset index, and the labels. */
export async function expertLogits(
  model: LptModel,
  split: PreparedSplit,
  classes: number,
  batchSize = 250,
): Promise<Float32Array> {
  const head = model.head;
  if (head === null) throw new Error('an expert needs a head');
  const n = split.dataset.labels.length;
  const out = new Float32Array(n * classes);
  for (let start = 0; start < n; start += batchSize) {
    const indices = Int32Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const batch = await loadBatch(split.dataset, indices, split.transforms, {
      seed: 0,
      keys: ['calibration', split.name, start],
    });
    const x = tf.tensor4d(batch.images, [...batch.shape]);
    const features = await predictFeatures(model, x, batch.indices, COMPUTE_QUERIES);
    const logits = tf.tidy(() => tf.mul(applyHead(head, features, false), head.scale));
    out.set(await logits.data(), start * classes);
    tf.dispose([x, features, logits]);
  }
  return out;
}

/** Per expert, its NLL-optimal temperature on the split. */
export async function fitTemperatures(
  experts: readonly LptModel[],
  split: PreparedSplit,
  classes: number,
): Promise<number[]> {
  const labels = Int32Array.from(split.dataset.labels);
  const temperatures: number[] = [];
  for (const model of experts)
    temperatures.push(fitTemperature(await expertLogits(model, split, classes), labels, classes));
  return temperatures;
}
