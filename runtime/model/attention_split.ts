/**
 * Self-attention core written so that every product is a plain 2-D matMul, forward and
 * backward: the wasm backend sends only a 2-D, untransposed matMul to its fast XNNPACK kernel
 * and runs any batched or transposed one about ten times slower (docs/PERFORMANCE.md, "Where
 * the time went at the start").
 * The batch of B*H heads is unstacked into [N, hd] slices; the right-hand operands that need a
 * transpose (K^T, V^T, P^T, dS^T) are transposed once for the whole batch, with 3-D or 4-D
 * transposes only. Softmax and its gradient run batched. The gradient is written by hand
 * (tf.customGrad), so tfjs's own BatchMatMul gradient, which uses transposed products, never runs.
 * Same function as attention.ts's batched path (test/runtime/model/speed_paths.test.ts).
 * The same forward and backward over [B*H, n, hd] slices also serve the block's own gradient
 * (block_grad.ts), with the products either per slice (SLICE_PRODUCTS) or one batched matMul
 * (BATCHED_PRODUCTS, for the backends whose batched matMul is fast).
 */
import * as tf from '@tensorflow/tfjs-core';

type CustomGradArg = Parameters<typeof tf.customGrad>[0];
type Save = (tensors: tf.Tensor[]) => void;

/** a[i] b[i] for every i: [count, rows(a), cols(b)]. */
export type SliceProducts = (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;

/** Each a 2-D product, stacked. */
export const SLICE_PRODUCTS: SliceProducts = (a, b) => {
  const left = tf.unstack(a) as tf.Tensor2D[];
  const right = tf.unstack(b) as tf.Tensor2D[];
  return tf.stack(left.map((l, i) => tf.matMul(l, right[i] as tf.Tensor2D))) as tf.Tensor3D;
};

/** One batched matMul. */
export const BATCHED_PRODUCTS: SliceProducts = (a, b) => tf.matMul(a, b);

/** [B*H, Q, N] -> its per-slice transpose [B*H, N, Q]. */
function transposeSlices(x: tf.Tensor3D): tf.Tensor3D {
  return tf.transpose(x, [0, 2, 1]);
}

interface Shape {
  readonly batch: number;
  /** Keys and values: every token. */
  readonly tokens: number;
  /** Queries: the first `queries` tokens. */
  readonly queries: number;
  readonly heads: number;
  readonly headDim: number;
}

/** [B, N, 3D] (q, k, v stacked) -> q [B*H, Q, hd], k, v [B*H, N, hd], k^T, v^T [B*H, hd, N]. */
function splitQkv(qkv: tf.Tensor, s: Shape) {
  const bh = s.batch * s.heads;
  const perHead = tf.reshape(qkv, [s.batch, s.tokens, 3 * s.heads, s.headDim]);
  const rows = tf
    .split(tf.transpose(perHead, [0, 2, 1, 3]), 3, 1)
    .map((t) => tf.reshape(t, [bh, s.tokens, s.headDim]) as tf.Tensor3D);
  const kv = tf.slice(perHead, [0, 0, s.heads, 0], [s.batch, s.tokens, 2 * s.heads, s.headDim]);
  const cols = tf
    .split(tf.transpose(kv, [0, 2, 3, 1]), 2, 1)
    .map((t) => tf.reshape(t, [bh, s.headDim, s.tokens]) as tf.Tensor3D);
  const q =
    s.queries === s.tokens ? rows[0]! : (tf.slice(rows[0]!, [0, 0, 0], [bh, s.queries, s.headDim]) as tf.Tensor3D);
  return { q, k: rows[1]!, v: rows[2]!, kT: cols[0]!, vT: cols[1]! };
}

/** [B*H, n, hd] -> [B, n, H*hd]. */
function mergeHeads(x: tf.Tensor, s: Shape, n: number): tf.Tensor3D {
  const heads = tf.reshape(x, [s.batch, s.heads, n, s.headDim]);
  return tf.reshape(tf.transpose(heads, [0, 2, 1, 3]), [s.batch, n, s.heads * s.headDim]);
}

/** [B, n, H*hd] -> [B*H, n, hd]. */
function splitHeads(x: tf.Tensor, s: Shape, n: number): tf.Tensor3D {
  const heads = tf.reshape(x, [s.batch, n, s.heads, s.headDim]);
  return tf.reshape(tf.transpose(heads, [0, 2, 1, 3]), [s.batch * s.heads, n, s.headDim]);
}

function shapeOf(qkv: tf.Tensor, heads: number, queries: number | undefined): Shape {
  const [batch, tokens, width] = qkv.shape as [number, number, number];
  return { batch, tokens, queries: queries ?? tokens, heads, headDim: width / 3 / heads };
}

/** q [B*H, Q, hd], k^T [B*H, hd, N] -> softmax(q k^T / sqrt(hd)) [B*H, Q, N]. */
function probabilities(q: tf.Tensor3D, kT: tf.Tensor3D, s: Shape, product: SliceProducts): tf.Tensor3D {
  return tf.softmax(tf.mul(product(q, kT), 1 / Math.sqrt(s.headDim))) as tf.Tensor3D;
}

/**
 * qkv [B, N, 3D] (the fused projection's output: q, k, v, each head-major) ->
 * softmax(q k^T / sqrt(hd)) v with heads merged, [B, Q, D], for the first Q = `queries` tokens
 * (default all); gradient w.r.t. qkv.
 */
export function splitAttention(qkv: tf.Tensor, heads: number, queries?: number): tf.Tensor3D {
  const s = shapeOf(qkv, heads, queries);
  const f = tf.customGrad(((x: tf.Tensor, save: Save) => {
    const { q, k, v, kT, vT } = splitQkv(x, s);
    const probs = probabilities(q, kT, s, SLICE_PRODUCTS); // [B*H, Q, N]
    save([q, k, vT, probs]);
    return {
      value: mergeHeads(SLICE_PRODUCTS(probs, v), s, s.queries),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => attentionGradient(dy, saved as tf.Tensor3D[], s, SLICE_PRODUCTS)),
    };
  }) as unknown as CustomGradArg);
  return f(qkv) as tf.Tensor3D;
}

/** The attention core and the probabilities its gradient needs: out [B, Q, D], probs [B*H, Q, N]. */
export function attentionWithProbs(
  qkv: tf.Tensor,
  heads: number,
  queries: number,
  product: SliceProducts,
): { readonly out: tf.Tensor3D; readonly probs: tf.Tensor3D } {
  const s = shapeOf(qkv, heads, queries);
  const { q, v, kT } = splitQkv(qkv, s);
  const probs = probabilities(q, kT, s, product);
  return { out: mergeHeads(product(probs, v), s, s.queries), probs };
}

/** dy [B, Q, D] -> d qkv [B, N, 3D] from qkv and the probabilities (attentionWithProbs). */
export function attentionGradFromProbs(
  dy: tf.Tensor,
  qkv: tf.Tensor,
  probs: tf.Tensor3D,
  heads: number,
  queries: number,
  product: SliceProducts,
): tf.Tensor {
  const s = shapeOf(qkv, heads, queries);
  const { q, k, vT } = splitQkv(qkv, s);
  return attentionGradient(dy, [q, k, vT, probs], s, product);
}

/** dy [B, Q, D] -> d qkv [B, N, 3D]; saved = q, k, v^T, softmax probabilities. */
function attentionGradient(dy: tf.Tensor, saved: readonly tf.Tensor3D[], s: Shape, product: SliceProducts): tf.Tensor {
  const [q, k, vT, probs] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
  const scale = 1 / Math.sqrt(s.headDim);
  const dOut = splitHeads(dy, s, s.queries); // [B*H, Q, hd]
  const dProbs = product(dOut, vT); // dO v^T
  const dV = product(transposeSlices(probs), dOut); // P^T dO
  // Softmax backward, batched: dS = P * (dP - sum(dP * P)), times the score scale.
  const rowDot = tf.sum(tf.mul(dProbs, probs), -1, true);
  const dScores = tf.mul(tf.mul(probs, tf.sub(dProbs, rowDot)), scale) as tf.Tensor3D;
  const dQ = product(dScores, k); // dS k  [B*H, Q, hd]
  const dK = product(transposeSlices(dScores), q); // dS^T q
  // Tokens past the queries had no output: their q gets no gradient.
  const dQAll =
    s.queries === s.tokens
      ? dQ
      : tf.pad(dQ, [
          [0, 0],
          [0, s.tokens - s.queries],
          [0, 0],
        ]);
  const perHead = [dQAll, dK, dV].map((t) => tf.reshape(t, [s.batch, s.heads, s.tokens, s.headDim]));
  const stacked = tf.concat(perHead, 1); // [B, 3H, N, hd]
  return tf.reshape(tf.transpose(stacked, [0, 2, 1, 3]), [s.batch, s.tokens, 3 * s.heads * s.headDim]);
}
