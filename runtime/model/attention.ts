/**
 * Multi-head self-attention with a fused qkv projection and bias (timm `Attention`).
 * The qkv weight [3D, D] stacks q, k, v; inside each, head h owns rows h*hd .. (h+1)*hd.
 * `attentionCore` is kept apart from the projections so that it can be rearranged into plain
 * 2-D matMuls (the wasm backend's fast path) without touching anything else.
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyFrozenLinear, disposeFrozenLinear, type FrozenLinear } from './frozen_linear.ts';

export interface AttentionParams {
  readonly qkv: FrozenLinear; // [D] -> [3D]
  readonly proj: FrozenLinear; // [D] -> [D]
  readonly heads: number;
}

/** q, k, v [B, H, N, hd] -> softmax(q k^T / sqrt(hd)) v  [B, H, N, hd]. */
export function attentionCore(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D): tf.Tensor4D {
  const scale = 1 / Math.sqrt(q.shape[3]);
  const scores = tf.mul(tf.matMul(q, k, false, true), scale); // [B, H, N, N]
  return tf.matMul(tf.softmax(scores), v);
}

/** [B, N, D] -> [B, H, N, hd]. */
function splitHeads(x: tf.Tensor, heads: number): tf.Tensor4D {
  const [batch, tokens, dim] = x.shape as [number, number, number];
  return tf.transpose(tf.reshape(x, [batch, tokens, heads, dim / heads]), [0, 2, 1, 3]);
}

/** [B, H, N, hd] -> [B, N, D]. */
function mergeHeads(x: tf.Tensor4D): tf.Tensor3D {
  const [batch, heads, tokens, hd] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [batch, tokens, heads * hd]);
}

/** x [B, N, D] -> [B, N, D]. */
export function attention(p: AttentionParams, x: tf.Tensor): tf.Tensor {
  const [q, k, v] = tf.split(applyFrozenLinear(p.qkv, x), 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const heads = attentionCore(splitHeads(q, p.heads), splitHeads(k, p.heads), splitHeads(v, p.heads));
  return applyFrozenLinear(p.proj, mergeHeads(heads));
}

export function disposeAttention(p: AttentionParams): void {
  disposeFrozenLinear(p.qkv);
  disposeFrozenLinear(p.proj);
}
