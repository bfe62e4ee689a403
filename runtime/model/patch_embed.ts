/**
 * Patch embedding: a stride-P, kernel-P convolution written as a reshape plus one matMul.
 * The PyTorch Conv2d weight [D, C, P, P] is flattened once at load into a linear map over
 * patches flattened in (channel, row, column) order, which is the order torch's
 * `weight.reshape(D, -1)` uses, so the product equals the convolution exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyFrozenLinear, disposeFrozenLinear, type FrozenLinear, frozenLinearFromTorch } from './frozen_linear.ts';

export interface PatchEmbedParams {
  readonly proj: FrozenLinear; // [C*P*P] -> [D]
  readonly patchSize: number;
  readonly channels: number;
}

/** weight [D, C, P, P], bias [D] or null (CLIP has none). */
export function patchEmbedFromTorch(weight: tf.Tensor, bias: tf.Tensor | null): PatchEmbedParams {
  const [dim, channels, patchSize] = weight.shape as [number, number, number, number];
  const flat = tf.reshape(weight, [dim, -1]);
  const proj = frozenLinearFromTorch(flat, bias);
  flat.dispose();
  return { proj, patchSize, channels };
}

/** x [B, C, H, W] (NCHW, H and W multiples of P) -> [B, (H/P)*(W/P), D], patches row-major. */
export function applyPatchEmbed(p: PatchEmbedParams, x: tf.Tensor): tf.Tensor {
  const [batch, channels, height, width] = x.shape as [number, number, number, number];
  const P = p.patchSize;
  const gh = height / P;
  const gw = width / P;
  // Two 4-D transposes instead of one 6-D one: [B*C*gh, P, gw, P] -> [B*C*gh, gw, P, P].
  const rows = tf.transpose(tf.reshape(x, [batch * channels * gh, P, gw, P]), [0, 2, 1, 3]);
  // [B, C, gh*gw, P*P] -> [B, gh*gw, C, P*P]
  const patches = tf.transpose(tf.reshape(rows, [batch, channels, gh * gw, P * P]), [0, 2, 1, 3]);
  const tokens = applyFrozenLinear(p.proj, tf.reshape(patches, [batch * gh * gw, channels * P * P]));
  return tf.reshape(tokens, [batch, gh * gw, -1]);
}

export function disposePatchEmbed(p: PatchEmbedParams): void {
  disposeFrozenLinear(p.proj);
}
