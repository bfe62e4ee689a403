/**
 * Deep shared prompt (VPT-deep, Jia et al., arXiv 2203.12119; LPT's shared prompt, arXiv
 * 2210.01033): each chosen block i gets its own L trainable tokens, appended after
 * [CLS, patches] (no position embedding) and dropped after the block, so block i+1 sees fresh
 * tokens. Blocks not chosen see no prompt.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertNoProblems, checkLayers, checkPositiveInt } from './errors.ts';
import { broadcastBatch } from './tokens.ts';
import { trainableVariable } from './variables.ts';

export interface SharedPromptConfig {
  readonly length: number;
  /** 0-based block indices, strictly increasing. */
  readonly layers: readonly number[];
  /** Truncated-normal std of the initial tokens; default 0.02. */
  readonly initStd?: number;
}

export interface SharedPrompt {
  readonly prompts: tf.Variable; // [nLayers, L, D]
  readonly layers: readonly number[];
  readonly length: number;
}

export function sharedPromptProblems(config: SharedPromptConfig, depth: number): string[] {
  return [...checkPositiveInt('length', config.length), ...checkLayers('layers', config.layers, depth)];
}

export function createSharedPrompt(dim: number, depth: number, config: SharedPromptConfig, seed: number): SharedPrompt {
  assertNoProblems('shared prompt', sharedPromptProblems(config, depth));
  const shape = [config.layers.length, config.length, dim];
  const prompts = trainableVariable(() => tf.truncatedNormal(shape, 0, config.initStd ?? 0.02, 'float32', seed));
  return { prompts, layers: [...config.layers], length: config.length };
}

/** From saved tokens [nLayers, L, D] (a checkpoint, a fixture); the tensor stays the caller's. */
export function sharedPromptFromTensor(tokens: tf.Tensor, layers: readonly number[], depth: number): SharedPrompt {
  const [nLayers, length] = tokens.shape as [number, number, number];
  const problems = checkLayers('layers', layers, depth);
  if (nLayers !== layers.length)
    problems.push(`prompt tensor has ${nLayers} layers, but ${layers.length} blocks are listed`);
  assertNoProblems('shared prompt', problems);
  return { prompts: trainableVariable(() => tokens.clone()), layers: [...layers], length };
}

/**
 * Per block of a depth-`depth` backbone: [B, L, D] for prompted blocks, else null; only blocks
 * from `from` on are filled (a pass that starts there needs no earlier ones); blocks past
 * `depth` are left out (a pass that ends before them).
 */
export function sharedBlockTokens(p: SharedPrompt, depth: number, batch: number, from = 0): Array<tf.Tensor | null> {
  const tokens: Array<tf.Tensor | null> = new Array<tf.Tensor | null>(depth).fill(null);
  const [, length, dim] = p.prompts.shape as [number, number, number];
  p.layers.forEach((layer, j) => {
    if (layer >= from && layer < depth)
      tokens[layer] = broadcastBatch(tf.slice(p.prompts, [j, 0, 0], [1, length, dim]), batch);
  });
  return tokens;
}
