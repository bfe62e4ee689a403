/**
 * Texts -> L2-normalised CLIP text embeddings [N, E] (float32, host memory), a batch at a time
 * so memory stays bounded for thousands of class names. Used by `lpt embed-text` and by the
 * text head's encoder form (class_embeddings.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Float32Tensor } from '../weights/tensor.ts';
import { encodeTokenRows, type TextEncoder } from './text_encoder.ts';
import { clipTokenizer } from './tokenizer.ts';

export interface EmbedOptions {
  /** Texts per forward pass (default 64). */
  readonly batchSize?: number;
  /** Divide each row by its L2 norm (default true). */
  readonly normalize?: boolean;
}

export async function embedTexts(
  encoder: TextEncoder,
  texts: readonly string[],
  options: EmbedOptions = {},
): Promise<Float32Tensor> {
  const batchSize = options.batchSize ?? 64;
  const tokenizer = clipTokenizer();
  const rows = texts.map((t) => tokenizer.tokenize(t, encoder.config.context));
  const dim = encoder.config.embedDim;
  const out = new Float32Array(texts.length * dim);
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const features = tf.tidy(() => {
      const f = encodeTokenRows(encoder, batch);
      return options.normalize === false ? f : tf.div(f, tf.norm(f, 'euclidean', 1, true));
    });
    try {
      // data(), not dataSync(): the webgpu backend can only read asynchronously in Node.
      out.set((await features.data()) as Float32Array, start * dim);
    } finally {
      features.dispose();
    }
  }
  return { dtype: 'float32', shape: [texts.length, dim], data: out };
}
