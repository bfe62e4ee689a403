/**
 * AdaptFormer-style parallel adapters (Chen et al., arXiv 2205.13535): beside a block's MLP,
 * out = x + MLP(LN(x)) + scale * up(act(down(LN(x)))), with the up-projection initialised to
 * zero so that training starts from the frozen backbone's function. LPT++ uses GELU here
 * (AdaptFormer used ReLU; both are offered). Weights are stored [in, out] so the forward
 * products need no transpose.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParallelBranch } from './block.ts';
import { assertNoProblems, checkLayers, checkPositiveInt } from './errors.ts';
import { gelu } from './mlp.ts';
import { trainableVariable } from './variables.ts';

export type AdapterActivation = 'gelu' | 'relu';

export interface AdapterConfig {
  readonly bottleneck: number;
  readonly scale: number;
  /** 0-based block indices, strictly increasing. */
  readonly layers: readonly number[];
  readonly activation?: AdapterActivation; // default 'gelu'
}

export interface Adapter {
  readonly downWeight: tf.Variable; // [D, r]
  readonly downBias: tf.Variable; // [r]
  readonly upWeight: tf.Variable; // [r, D]
  readonly upBias: tf.Variable; // [D]
  readonly scale: number;
  readonly activation: AdapterActivation;
}

/** One entry per backbone block; null where no adapter sits. */
export interface AdapterSet {
  readonly adapters: ReadonlyArray<Adapter | null>;
}

export function adapterProblems(config: AdapterConfig, depth: number): string[] {
  const problems = [
    ...checkPositiveInt('bottleneck', config.bottleneck),
    ...checkLayers('layers', config.layers, depth),
  ];
  if (!Number.isFinite(config.scale)) problems.push(`scale must be a number (got ${config.scale})`);
  const act = config.activation ?? 'gelu';
  if (act !== 'gelu' && act !== 'relu') problems.push(`activation must be 'gelu' or 'relu' (got '${String(act)}')`);
  return problems;
}

/** down: U(-1/sqrt(D), 1/sqrt(D)) as nn.Linear's default init; up and both biases: zero. */
export function createAdapters(dim: number, depth: number, config: AdapterConfig, seed: number): AdapterSet {
  assertNoProblems('adapters', adapterProblems(config, depth));
  const r = config.bottleneck;
  const bound = 1 / Math.sqrt(dim);
  const adapters: Array<Adapter | null> = new Array<Adapter | null>(depth).fill(null);
  config.layers.forEach((layer, j) => {
    adapters[layer] = {
      downWeight: trainableVariable(() => tf.randomUniform([dim, r], -bound, bound, 'float32', seed + j)),
      downBias: trainableVariable(() => tf.zeros([r])),
      upWeight: trainableVariable(() => tf.zeros([r, dim])),
      upBias: trainableVariable(() => tf.zeros([dim])),
      scale: config.scale,
      activation: config.activation ?? 'gelu',
    };
  });
  return { adapters };
}

/** From PyTorch nn.Linear layouts: down [r, D], up [D, r]; the tensors stay the caller's. */
export function adapterFromTorch(
  t: { downWeight: tf.Tensor; downBias: tf.Tensor; upWeight: tf.Tensor; upBias: tf.Tensor },
  scale: number,
  activation: AdapterActivation = 'gelu',
): Adapter {
  return {
    downWeight: trainableVariable(() => tf.transpose(t.downWeight)),
    downBias: trainableVariable(() => t.downBias.clone()),
    upWeight: trainableVariable(() => tf.transpose(t.upWeight)),
    upBias: trainableVariable(() => t.upBias.clone()),
    scale,
    activation,
  };
}

/** h [B, N, D] (the block's norm2 output) -> scale * up(act(down(h)))  [B, N, D]. */
export function applyAdapter(a: Adapter, h: tf.Tensor): tf.Tensor {
  const dim = a.downWeight.shape[0] as number;
  const lead = h.shape.slice(0, -1);
  const down = tf.add(tf.matMul(tf.reshape(h, [-1, dim]), a.downWeight as tf.Tensor2D), a.downBias);
  const hidden = a.activation === 'gelu' ? gelu(down) : tf.relu(down);
  const up = tf.add(tf.matMul(hidden as tf.Tensor2D, a.upWeight as tf.Tensor2D), a.upBias);
  return tf.reshape(tf.mul(up, a.scale), [...lead, dim]);
}

export function adapterBranches(set: AdapterSet): Array<ParallelBranch | null> {
  return set.adapters.map((a) => (a === null ? null : (h: tf.Tensor) => applyAdapter(a, h)));
}

export function adapterVariables(set: AdapterSet): tf.Variable[] {
  return set.adapters.flatMap((a) => (a === null ? [] : [a.downWeight, a.downBias, a.upWeight, a.upBias]));
}
