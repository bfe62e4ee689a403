/**
 * Learned absolute position embeddings [1, prefix + Gh*Gw, D] (timm `pos_embed`, CLS first),
 * and their resampling when a checkpoint's patch grid differs from the model's (another image
 * size or patch size). The default, bicubic with antialias, is what timm's checkpoint filter
 * does; bilinear is offered for checkpoints that were trained with it. Prefix tokens (CLS) are
 * kept as they are.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type InterpolationMode, interpolationMatrix } from './interpolate.ts';

export interface ResampleOptions {
  readonly mode?: InterpolationMode; // default 'bicubic'
  readonly antialias?: boolean; // default true
  readonly prefixTokens?: number; // default 1 (CLS)
}

/** x [B, N, D] + pos [1, N, D]. */
export function addPositionEmbed(x: tf.Tensor, posEmbed: tf.Tensor): tf.Tensor {
  return tf.add(x, posEmbed);
}

function matrixTensor(outSize: number, inSize: number, mode: InterpolationMode, antialias: boolean): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(interpolationMatrix(outSize, inSize, mode, antialias)), [outSize, inSize]);
}

/** grid [h0, w0, D] -> [h, w, D], separably: rows first, then columns. */
function resizeGrid(
  grid: tf.Tensor3D,
  to: readonly [number, number],
  mode: InterpolationMode,
  antialias: boolean,
): tf.Tensor3D {
  const [h0, w0, dim] = grid.shape;
  const [h, w] = to;
  const rows = tf.matMul(matrixTensor(h, h0, mode, antialias), tf.reshape(grid, [h0, w0 * dim])); // [h, w0*D]
  const byColumn = tf.transpose(tf.reshape(rows, [h, w0, dim]), [1, 0, 2]); // [w0, h, D]
  const cols = tf.matMul(matrixTensor(w, w0, mode, antialias), tf.reshape(byColumn, [w0, h * dim])); // [w, h*D]
  return tf.transpose(tf.reshape(cols, [w, h, dim]), [1, 0, 2]);
}

/** posEmbed [1, prefix + h0*w0, D] on grid `from` -> [1, prefix + h*w, D] on grid `to`. */
export function resamplePosEmbed(
  posEmbed: tf.Tensor,
  from: readonly [number, number],
  to: readonly [number, number],
  options: ResampleOptions = {},
): tf.Tensor3D {
  const prefix = options.prefixTokens ?? 1;
  const dim = posEmbed.shape[2] as number;
  return tf.tidy(() => {
    const prefixPart = tf.slice(posEmbed, [0, 0, 0], [1, prefix, dim]);
    const gridPart = tf.reshape(tf.slice(posEmbed, [0, prefix, 0], [1, from[0] * from[1], dim]), [
      from[0],
      from[1],
      dim,
    ]);
    const resized = resizeGrid(gridPart as tf.Tensor3D, to, options.mode ?? 'bicubic', options.antialias ?? true);
    return tf.concat([prefixPart, tf.reshape(resized, [1, to[0] * to[1], dim])], 1) as tf.Tensor3D;
  });
}
