/**
 * LPT's query-key matching term: lambda * mean over the batch of the sum of the top-k cosine
 * similarities between each image's query and the prompt-pool keys. The caller subtracts it from
 * the loss, pulling the selected keys toward their queries. The selection itself (which k keys)
 * is not differentiated; the gradient reaches only the selected similarities.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface MatchingOptions {
  /** lambda (default 0.5). */
  readonly weight?: number;
  /** k (default 2); ignored when `selected` is given. */
  readonly topK?: number;
  /** [B, k] indices of the selected keys, when the model has chosen them already. */
  readonly selected?: tf.Tensor2D | Int32Array;
}

/** Row-wise indices of the k largest values (ties: lower index first), [rows * k]. */
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
  if (similarities.rank !== 2) throw new Error(`matching: similarities must be [B, m], got [${similarities.shape.join(', ')}]`);
  const [rows, keys] = similarities.shape;
  const k = options.topK ?? 2;
  if (!options.selected && !(Number.isInteger(k) && k >= 1 && k <= keys)) throw new Error(`matching: top-k ${k} is outside 1..${keys}`);
  // tfjs has no TopK gradient, and the selection is not differentiated anyway: when the caller
  // has not chosen the keys, pick them on the host (a sync point, [B, m] numbers).
  const selected = options.selected ?? topKIndices(similarities.dataSync(), rows, keys, k);
  return tf.tidy(() => {
    const indices = selected instanceof Int32Array ? tf.tensor2d(selected, [rows, selected.length / rows], 'int32') : selected;
    // [B, k, m] one-hot summed over k: a mask of the selected keys (each key at most once per row).
    const mask = tf.cast(tf.sum(tf.oneHot(indices, keys), 1), 'float32');
    return tf.mul(tf.mean(tf.sum(tf.mul(similarities, mask), 1)), options.weight ?? 0.5) as tf.Scalar;
  });
}
