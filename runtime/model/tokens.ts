/**
 * Token bookkeeping shared by the backbone and the prompt modules: the CLS token in front,
 * extra (prompt) tokens appended at the back for one block and dropped after it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withGradient } from './custom_grad.ts';

/**
 * t [L, D] (or [1, L, D]) -> [B, L, D]. A tile whose gradient is a single sum over the batch:
 * tfjs's own Tile gradient adds B slices one by one.
 */
export function broadcastBatch(t: tf.Tensor, batch: number): tf.Tensor3D {
  const [length, dim] = t.shape.slice(-2) as [number, number];
  const tile = withGradient(
    (x) => tf.tile(tf.reshape(x, [1, length, dim]), [batch, 1, 1]) as tf.Tensor3D,
    (dy, shape) => tf.reshape(tf.sum(dy, 0), [...shape]),
  );
  return tile(t);
}

/** cls [1, 1, D], x [B, N, D] -> [B, 1 + N, D]. */
export function prependClsToken(cls: tf.Tensor, x: tf.Tensor): tf.Tensor3D {
  return tf.concat([broadcastBatch(cls, x.shape[0] as number), x], 1) as tf.Tensor3D;
}

/** x [B, N, D], extra [B, L, D] -> [B, N + L, D]. */
export function appendTokens(x: tf.Tensor, extra: tf.Tensor): tf.Tensor3D {
  return tf.concat([x, extra], 1) as tf.Tensor3D;
}

/** x [B, N + L, D] -> the first N tokens [B, N, D] (x itself when that is all of them). */
export function keepLeadingTokens(x: tf.Tensor, count: number): tf.Tensor3D {
  const [batch, tokens, dim] = x.shape as [number, number, number];
  if (count === tokens) return x as tf.Tensor3D;
  return tf.slice(x, [0, 0, 0], [batch, count, dim]) as tf.Tensor3D;
}

/** x [B, N, D] -> the CLS token [B, D]. */
export function clsToken(x: tf.Tensor): tf.Tensor2D {
  const [batch, , dim] = x.shape as [number, number, number];
  return tf.reshape(tf.slice(x, [0, 0, 0], [batch, 1, dim]), [batch, dim]) as tf.Tensor2D;
}

/** Per-block extra tokens: concatenates two per-block lists along the token axis (nulls skip). */
export function concatBlockTokens(
  first: ReadonlyArray<tf.Tensor | null>,
  second: ReadonlyArray<tf.Tensor | null>,
): Array<tf.Tensor | null> {
  const depth = Math.max(first.length, second.length);
  return Array.from({ length: depth }, (_, i) => {
    const a = first[i] ?? null;
    const b = second[i] ?? null;
    if (a === null) return b;
    if (b === null) return a;
    return tf.concat([a, b], 1);
  });
}
