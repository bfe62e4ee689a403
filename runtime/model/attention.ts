/**
 * Multi-head self-attention with a fused qkv projection and bias (timm `Attention`).
 * The qkv weight [3D, D] stacks q, k, v; inside each, head h owns rows h*hd .. (h+1)*hd.
 * `attentionCore` is kept apart from the projections. Two faster cores compute the same function
 * (speed.ts): 'split' with plain 2-D matMuls, the wasm backend's fast path (attention_split.ts),
 * and 'fused', one native kernel (fused_ops.ts); the params say which.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  attentionGradFromProbs,
  attentionWithProbs,
  BATCHED_PRODUCTS,
  SLICE_PRODUCTS,
  splitAttention,
} from './attention_split.ts';
import { applyFrozenLinear, disposeFrozenLinear } from './frozen_linear.ts';
import { fusedAttention, fusedAttentionGrad, fusedAttentionWithProbs } from './fused_ops.ts';
import type { AttentionParams } from './params.ts';

/**
 * q [B, H, Q, hd], k, v [B, H, N, hd] -> softmax(q k^T / sqrt(hd) + mask) v  [B, H, Q, hd];
 * `mask` [Q, N] is added to the scores (0 where attending, -Infinity where not), or null.
 */
export function attentionCore(
  q: tf.Tensor4D,
  k: tf.Tensor4D,
  v: tf.Tensor4D,
  mask: tf.Tensor | null = null,
): tf.Tensor4D {
  const scale = 1 / Math.sqrt(q.shape[3]);
  const scaled = tf.mul(tf.matMul(q, k, false, true), scale); // [B, H, Q, N]
  const scores = mask === null ? scaled : tf.add(scaled, mask);
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

/**
 * x [B, N, D] -> [B, Q, D]: the outputs of the first `queries` tokens (default all N), every
 * token serving as key and value. A block whose extra tokens are dropped after it needs only
 * the outputs of the others (block.ts).
 */
export function attention(p: AttentionParams, x: tf.Tensor, queries: number = x.shape[1] as number): tf.Tensor {
  const qkv = applyFrozenLinear(p.qkv, x);
  if (p.core === 'fused') return applyFrozenLinear(p.proj, fusedAttention(qkv, p.heads, queries));
  if (p.core === 'split') return applyFrozenLinear(p.proj, splitAttention(qkv, p.heads, queries));
  const [q, k, v] = tf.split(qkv, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const [batch, tokens, dim] = q.shape as [number, number, number];
  const qRows = queries === tokens ? q : tf.slice(q, [0, 0, 0], [batch, queries, dim]);
  const heads = attentionCore(splitHeads(qRows, p.heads), splitHeads(k, p.heads), splitHeads(v, p.heads));
  return applyFrozenLinear(p.proj, mergeHeads(heads));
}

/**
 * qkv [B, N, 3D] -> the core's output [B, Q, D] for the first Q = `queries` tokens and the
 * softmax probabilities its gradient needs (what PyTorch's autograd keeps), by the params' core.
 */
export function attentionCoreWithProbs(
  p: AttentionParams,
  qkv: tf.Tensor,
  queries: number,
): { readonly out: tf.Tensor; readonly probs: tf.Tensor } {
  if (p.core === 'fused') return fusedAttentionWithProbs(qkv, p.heads, queries);
  return attentionWithProbs(qkv, p.heads, queries, p.core === 'split' ? SLICE_PRODUCTS : BATCHED_PRODUCTS);
}

/** dOut [B, Q, D] -> d qkv [B, N, 3D], from qkv and attentionCoreWithProbs's probabilities. */
export function attentionCoreGrad(
  p: AttentionParams,
  dOut: tf.Tensor,
  qkv: tf.Tensor,
  probs: tf.Tensor,
  queries: number,
): tf.Tensor {
  if (p.core === 'fused') return fusedAttentionGrad(dOut, qkv, probs, p.heads, queries);
  const product = p.core === 'split' ? SLICE_PRODUCTS : BATCHED_PRODUCTS;
  return attentionGradFromProbs(dOut, qkv, probs as tf.Tensor3D, p.heads, queries, product);
}

/**
 * x [B, N, D] -> [B, N, D] with an additive mask [N, N] on the scores (a causal mask for CLIP's
 * text tower). Always the batched core: the split and fused cores take no mask.
 */
export function maskedAttention(p: AttentionParams, x: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  const [q, k, v] = tf.split(applyFrozenLinear(p.qkv, x), 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const heads = attentionCore(splitHeads(q, p.heads), splitHeads(k, p.heads), splitHeads(v, p.heads), mask);
  return applyFrozenLinear(p.proj, mergeHeads(heads));
}

export function disposeAttention(p: AttentionParams): void {
  disposeFrozenLinear(p.qkv);
  disposeFrozenLinear(p.proj);
}
