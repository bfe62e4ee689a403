/**
 * The CLIP text encoder (Radford et al., arXiv 2103.00020; OpenAI's `encode_text`): token
 * embedding plus position embedding, pre-norm blocks with a causal mask (each token attends to
 * itself and earlier tokens), the final LayerNorm at the end-of-text token, and the bias-free
 * text projection. The blocks are the ViT's (model/block pieces); only the mask is new.
 * Because of the mask, a batch needs only as many positions as its longest text: later
 * positions never influence earlier ones, so padding to 77 would not change the result.
 */
import * as tf from '@tensorflow/tfjs-core';
import { maskedAttention } from '../model/attention.ts';
import { disposeBlock } from '../model/block.ts';
import { frozenBlock } from '../model/create_vit.ts';
import {
  applyFrozenLinear,
  disposeFrozenLinear,
  frozenLinearFromTorch,
  type FrozenLinear,
} from '../model/frozen_linear.ts';
import { disposeLayerNorm, frozenLayerNorm, layerNorm } from '../model/layer_norm.ts';
import { mlp } from '../model/mlp.ts';
import type { BlockParams, LayerNormParams } from '../model/params.ts';
import { PLAIN_PATHS } from '../model/speed.ts';
import { frozenVariable } from '../model/variables.ts';
import type { FloatTensors } from '../weights/tensor.ts';
import type { TextConfig } from './text_config.ts';

export interface TextEncoder {
  readonly config: TextConfig;
  readonly tokenEmbedding: tf.Variable; // [V, W]
  readonly posEmbed: tf.Variable; // [T, W]
  readonly blocks: readonly BlockParams[];
  readonly norm: LayerNormParams;
  readonly projection: FrozenLinear; // [W] -> [E]
}

/** From canonical host tensors (load_text.ts); the encoder holds its own copies. */
export function createTextEncoder(config: TextConfig, weights: FloatTensors): TextEncoder {
  const tensors = new Map([...weights].map(([name, t]) => [name, tf.tensor(t.data, [...t.shape], 'float32')]));
  try {
    const w = (name: string) => tensors.get(name)!;
    return {
      config,
      tokenEmbedding: frozenVariable(() => w('token_embedding').clone()),
      posEmbed: frozenVariable(() => w('pos_embed').clone()),
      // The plain paths: the causal mask runs only on the batched attention core.
      blocks: Array.from({ length: config.depth }, (_, i) => frozenBlock(tensors, `blocks.${i}`, config, PLAIN_PATHS)),
      norm: frozenLayerNorm(w('norm.weight'), w('norm.bias'), config.layerNormEps),
      projection: frozenLinearFromTorch(w('text_projection'), tensors.get('text_projection_bias') ?? null),
    };
  } finally {
    tf.dispose([...tensors.values()]);
  }
}

/** [N, N] additive mask: 0 on and below the diagonal, -Infinity above. */
function causalMask(n: number): tf.Tensor2D {
  return tf.tidy(() => {
    const row = tf.reshape(tf.range(0, n, 1, 'int32'), [n, 1]);
    const col = tf.reshape(tf.range(0, n, 1, 'int32'), [1, n]);
    return tf.where(tf.greater(col, row), tf.fill([n, n], -Infinity), tf.zeros([n, n])) as tf.Tensor2D;
  });
}

/**
 * ids: one row of token ids per text, each ending at its end-of-text token (the row's last id)
 * -> text features [B, E] (not normalised). Rows may differ in length; none exceeds the context.
 */
export function encodeTokenRows(enc: TextEncoder, rows: readonly (readonly number[])[]): tf.Tensor2D {
  const { context, width } = enc.config;
  const length = Math.max(...rows.map((r) => r.length));
  if (rows.length === 0 || length > context) throw new Error(`token rows must be 1..${context} long (got ${length})`);
  const padded = new Int32Array(rows.length * length);
  rows.forEach((r, b) => padded.set(r, b * length));
  const ends = rows.map((r, b) => b * length + r.length - 1);
  return tf.tidy(() => {
    const ids = tf.tensor2d(padded, [rows.length, length], 'int32');
    const positions = tf.slice(enc.posEmbed, [0, 0], [length, width]);
    let x: tf.Tensor = tf.add(tf.gather(enc.tokenEmbedding, ids), positions); // [B, L, W]
    const mask = causalMask(length);
    for (const p of enc.blocks) {
      const y = tf.add(x, maskedAttention(p.attn, layerNorm(p.norm1, x), mask));
      x = tf.add(y, mlp(p.mlp, layerNorm(p.norm2, y)));
    }
    const atEnd = tf.gather(tf.reshape(x, [-1, width]), tf.tensor1d(ends, 'int32')); // [B, W]
    return applyFrozenLinear(enc.projection, layerNorm(enc.norm, atEnd)) as tf.Tensor2D;
  });
}

export function disposeTextEncoder(enc: TextEncoder): void {
  tf.dispose([enc.tokenEmbedding, enc.posEmbed]);
  enc.blocks.forEach(disposeBlock);
  disposeLayerNorm(enc.norm);
  disposeFrozenLinear(enc.projection);
}
