/**
 * LPT's group-specific prompt pool (arXiv 2210.01033, section 3): m entries, each a deep prompt
 * for the pool's blocks, and one trainable key per entry. A query q(x) (the final-LayerNorm CLS
 * feature of a shared-prompt pass, computed by the caller outside any gradient) is matched to the
 * keys by cosine similarity; the top-k entries are combined by their mean (the authors' code)
 * or concatenated along the token axis (an ablation), best match first.
 * Selection is a matrix product with one-hot rows rather than a gather: tfjs's gather gradient
 * needs UnsortedSegmentSum, which the wasm backend lacks, and the product is a fast 2-D matMul.
 */
import type { KeyInit, PoolCombine } from '../../plan/enums.ts';
import * as tf from '@tensorflow/tfjs-core';
import { withGradient } from './custom_grad.ts';
import { assertNoProblems, checkLayers, checkPositiveInt } from './errors.ts';
import { l2Normalize } from './normalize.ts';
import { trainableVariable } from './variables.ts';

export type { PoolCombine };
/** normal: truncated normal, std 0.02 (the authors' code); uniform: U[-1, 1] (as L2P). */
export type { KeyInit };

export interface PromptPoolConfig {
  readonly size: number; // m
  readonly length: number; // L
  /** 0-based block indices, strictly increasing; LPT: the last N - K blocks. */
  readonly layers: readonly number[];
  readonly topK: number;
  readonly combine: PoolCombine;
  /** Truncated-normal std of the initial prompt tokens; default 0.02. */
  readonly initStd?: number;
  /** Initial keys; default 'normal'. */
  readonly keyInit?: KeyInit;
}

export interface PromptPool {
  readonly prompts: tf.Variable; // [m, nLayers, L, D]
  readonly keys: tf.Variable; // [m, D]
  readonly layers: readonly number[];
  readonly length: number;
  readonly topK: number;
  readonly combine: PoolCombine;
}

export interface PoolSelection {
  readonly similarity: tf.Tensor2D; // [B, m], cos(q, key_j)
  readonly indices: tf.Tensor2D; // [B, k] int32, best first
  /** [B, k] cos(q, key) of the selected entries; differentiable w.r.t. the keys (matching loss). */
  readonly selectedSimilarity: tf.Tensor2D;
  readonly oneHot: tf.Tensor3D; // [B, k, m] float32
}

export function promptPoolProblems(config: PromptPoolConfig, depth: number): string[] {
  const problems = [
    ...checkPositiveInt('size', config.size),
    ...checkPositiveInt('length', config.length),
    ...checkPositiveInt('topK', config.topK),
    ...checkLayers('layers', config.layers, depth),
  ];
  if (config.topK > config.size) problems.push(`topK ${config.topK} exceeds the pool size ${config.size}`);
  if (config.combine !== 'mean' && config.combine !== 'concat') {
    problems.push(`combine must be 'mean' or 'concat' (got '${String(config.combine)}')`);
  }
  if (config.keyInit !== undefined && config.keyInit !== 'normal' && config.keyInit !== 'uniform') {
    problems.push(`keyInit must be 'normal' or 'uniform' (got '${String(config.keyInit)}')`);
  }
  return problems;
}

/**
 * The paper does not say how keys start. The authors' code draws them truncated-normal with std
 * 0.02 (norm ~0.02 sqrt(D)); L2P draws U[-1, 1] (norm ~sqrt(D / 3)). Keys enter only through
 * cos(q, k), whose gradient w.r.t. k scales with 1 / |k|, so the key's angle moves at a rate
 * ~ lr / |k|^2: large keys barely turn, and the matching term then does nothing.
 */
export function createPromptPool(dim: number, depth: number, config: PromptPoolConfig, seed: number): PromptPool {
  assertNoProblems('prompt pool', promptPoolProblems(config, depth));
  const shape = [config.size, config.layers.length, config.length, dim];
  const prompts = trainableVariable(() => tf.truncatedNormal(shape, 0, config.initStd ?? 0.02, 'float32', seed));
  const keys = trainableVariable(() =>
    config.keyInit === 'uniform'
      ? tf.randomUniform([config.size, dim], -1, 1, 'float32', seed + 1)
      : tf.truncatedNormal([config.size, dim], 0, 0.02, 'float32', seed + 1),
  );
  return { ...poolShape(config), prompts, keys };
}

/** From saved prompts [m, nLayers, L, D] and keys [m, D]; the tensors stay the caller's. */
export function promptPoolFromTensors(
  prompts: tf.Tensor,
  keys: tf.Tensor,
  config: Omit<PromptPoolConfig, 'size' | 'length'>,
  depth: number,
): PromptPool {
  const [size, nLayers, length] = prompts.shape as [number, number, number, number];
  const full = { ...config, size, length };
  const problems = promptPoolProblems(full, depth);
  if (nLayers !== config.layers.length)
    problems.push(`pool tensor has ${nLayers} layers, but ${config.layers.length} blocks are listed`);
  if (keys.shape[0] !== size || keys.shape[1] !== prompts.shape[3])
    problems.push(`keys must be [${size}, ${prompts.shape[3]}], got [${keys.shape.join(', ')}]`);
  assertNoProblems('prompt pool', problems);
  return {
    ...poolShape(full),
    prompts: trainableVariable(() => prompts.clone()),
    keys: trainableVariable(() => keys.clone()),
  };
}

function poolShape(c: PromptPoolConfig) {
  return { layers: [...c.layers], length: c.length, topK: c.topK, combine: c.combine };
}

/**
 * similarity [B, m] -> one-hot rows of the top-k entries [B, k, m], best first. The selection is
 * piecewise constant, so its gradient is zero; declaring it keeps TopK (which has no gradient
 * in tfjs) off the tape.
 */
function topKOneHot(similarity: tf.Tensor, k: number, size: number): tf.Tensor3D {
  const select = withGradient(
    (s) => tf.cast(tf.oneHot(tf.topk(s, k, true).indices, size), 'float32') as tf.Tensor3D,
    (_dy, shape) => tf.zeros([...shape]),
  );
  return select(similarity);
}

/** query [B, D] -> the top-k entries by cosine similarity. */
export function selectFromPool(pool: PromptPool, query: tf.Tensor): PoolSelection {
  const size = pool.keys.shape[0] as number;
  const similarity = tf.matMul(l2Normalize(query, 1), l2Normalize(pool.keys, 1), false, true) as tf.Tensor2D;
  const oneHot = topKOneHot(similarity, pool.topK, size);
  const indices = tf.cast(tf.argMax(oneHot, 2), 'int32') as tf.Tensor2D;
  const selectedSimilarity = tf.sum(tf.mul(oneHot, tf.expandDims(similarity, 1)), 2) as tf.Tensor2D;
  return { similarity, indices, selectedSimilarity, oneHot };
}

/** Per block of a depth-`depth` backbone: [B, L, D] (mean) or [B, k*L, D] (concat), else null. */
export function poolBlockTokens(pool: PromptPool, selection: PoolSelection, depth: number): Array<tf.Tensor | null> {
  const [size, nLayers, length, dim] = pool.prompts.shape as [number, number, number, number];
  const [batch, k] = selection.oneHot.shape;
  const flat = tf.reshape(pool.prompts, [size, nLayers * length * dim]);
  const tokens: Array<tf.Tensor | null> = new Array<tf.Tensor | null>(depth).fill(null);
  if (pool.combine === 'mean') {
    const chosen = tf.reshape(tf.matMul(tf.mean(selection.oneHot, 1), flat), [batch, nLayers, length * dim]);
    pool.layers.forEach((layer, j) => {
      tokens[layer] = tf.reshape(tf.slice(chosen, [0, j, 0], [batch, 1, length * dim]), [batch, length, dim]);
    });
  } else {
    const rows = tf.reshape(selection.oneHot, [batch * k, size]);
    const chosen = tf.reshape(tf.matMul(rows, flat), [batch, k, nLayers, length * dim]);
    pool.layers.forEach((layer, j) => {
      tokens[layer] = tf.reshape(tf.slice(chosen, [0, 0, j, 0], [batch, k, 1, length * dim]), [batch, k * length, dim]);
    });
  }
  return tokens;
}
