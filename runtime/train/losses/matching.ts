/**
 * LPT's query-key matching term: lambda * mean over the batch of the sum of the top-k cosine
 * similarities between each image's query and the prompt-pool keys. The caller subtracts it from
 * the loss, pulling the selected keys toward their queries. The selection itself (which k keys)
 * is not differentiated; the gradient reaches only the selected similarities.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withGradient } from '../../model/custom_grad.ts';

export interface MatchingOptions {
  /** lambda (default 0.5). */
  readonly weight?: number;
  /** k (default 2); ignored when `selected` is given. */
  readonly topK?: number;
  /** [B, k] indices of the selected keys, when the model has chosen them already. */
  readonly selected?: tf.Tensor2D | Int32Array;
}

/** Row-wise indices of the k largest values (ties: lower index first), [rows * k], on the host. */
export function topKIndices(values: ArrayLike<number>, rows: number, cols: number, k: number): Int32Array {
  const out = new Int32Array(rows * k);
  const order = Array.from({ length: cols }, (_, j) => j);
  for (let r = 0; r < rows; r++) {
    order.sort((a, b) => values[r * cols + b]! - values[r * cols + a]! || a - b);
    for (let i = 0; i < k; i++) out[r * k + i] = order[i]!;
  }
  return out;
}

/** `similarities` is [B, m] (query-to-key cosines). Returns the positive term; subtract it. */
export function matchingTerm(similarities: tf.Tensor2D, options: MatchingOptions = {}): tf.Scalar {
  if (similarities.rank !== 2)
    throw new Error(`matching: similarities must be [B, m], got [${similarities.shape.join(', ')}]`);
  const [rows, keys] = similarities.shape;
  const k = options.topK ?? 2;
  if (!options.selected && !(Number.isInteger(k) && k >= 1 && k <= keys))
    throw new Error(`matching: top-k ${k} is outside 1..${keys}`);
  return tf.tidy(() => {
    const mask =
      options.selected === undefined ? topKMask(similarities, k) : selectedMask(options.selected, rows, keys);
    return tf.mul(tf.mean(tf.sum(tf.mul(similarities, mask), 1)), options.weight ?? 0.5) as tf.Scalar;
  });
}

/**
 * [B, m] mask of each row's k largest entries, chosen on the device (no host read, which the
 * webgpu backend cannot do synchronously). The selection is piecewise constant, so its gradient
 * is zero; declaring it keeps TopK, which has no gradient in tfjs, off the tape.
 */
const topKMask = (similarities: tf.Tensor2D, k: number) =>
  withGradient(
    (s) => tf.sum(tf.cast(tf.oneHot(tf.topk(s, k).indices, s.shape[1] as number), 'float32'), 1),
    (_dy, shape) => tf.zeros([...shape]),
  )(similarities);

/**
 * [B, k, m] one-hot summed over k: a mask of the given keys (each key at most once per row). The
 * sum runs on floats: webgpu cannot reduce int32 over a non-innermost axis (runtime/model/kernels/webgpu_fixes.ts).
 */
function selectedMask(selected: tf.Tensor2D | Int32Array, rows: number, keys: number): tf.Tensor {
  const indices =
    selected instanceof Int32Array ? tf.tensor2d(selected, [rows, selected.length / rows], 'int32') : selected;
  return tf.sum(tf.cast(tf.oneHot(indices, keys), 'float32'), 1);
}
