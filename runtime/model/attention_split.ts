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
 */
import * as tf from '@tensorflow/tfjs-core';

type CustomGradArg = Parameters<typeof tf.customGrad>[0];
type Save = (tensors: tf.Tensor[]) => void;

/** a[i] b[i] for every i, each a 2-D product; stacked to [count, rows(a), cols(b)]. */
function sliceProducts(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const left = tf.unstack(a) as tf.Tensor2D[];
  const right = tf.unstack(b) as tf.Tensor2D[];
  return tf.stack(left.map((l, i) => tf.matMul(l, right[i] as tf.Tensor2D))) as tf.Tensor3D;
}

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

/**
 * qkv [B, N, 3D] (the fused projection's output: q, k, v, each head-major) ->
 * softmax(q k^T / sqrt(hd)) v with heads merged, [B, Q, D], for the first Q = `queries` tokens
 * (default all); gradient w.r.t. qkv.
 */
export function splitAttention(qkv: tf.Tensor, heads: number, queries?: number): tf.Tensor3D {
  const [batch, tokens, width] = qkv.shape as [number, number, number];
  const s: Shape = { batch, tokens, queries: queries ?? tokens, heads, headDim: width / 3 / heads };
  const scale = 1 / Math.sqrt(s.headDim);
  const f = tf.customGrad(((x: tf.Tensor, save: Save) => {
    const { q, k, v, kT, vT } = splitQkv(x, s);
    const probs = tf.softmax(tf.mul(sliceProducts(q, kT), scale)) as tf.Tensor3D; // [B*H, Q, N]
    save([q, k, vT, probs]);
    return {
      value: mergeHeads(sliceProducts(probs, v), s, s.queries),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => attentionGradient(dy, saved as tf.Tensor3D[], s, scale),
    };
  }) as unknown as CustomGradArg);
  return f(qkv) as tf.Tensor3D;
}

/** dy [B, Q, D] -> d qkv [B, N, 3D]; saved = q, k, v^T, softmax probabilities. */
function attentionGradient(dy: tf.Tensor, saved: readonly tf.Tensor3D[], s: Shape, scale: number): tf.Tensor {
  const [q, k, vT, probs] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
  const dOut = splitHeads(dy, s, s.queries); // [B*H, Q, hd]
  const dProbs = sliceProducts(dOut, vT); // dO v^T
  const dV = sliceProducts(transposeSlices(probs), dOut); // P^T dO
  // Softmax backward, batched: dS = P * (dP - sum(dP * P)), times the score scale.
  const rowDot = tf.sum(tf.mul(dProbs, probs), -1, true);
  const dScores = tf.mul(tf.mul(probs, tf.sub(dProbs, rowDot)), scale) as tf.Tensor3D;
  const dQ = sliceProducts(dScores, k); // dS k  [B*H, Q, hd]
  const dK = sliceProducts(transposeSlices(dScores), q); // dS^T q
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
