/**
 * Random weights in one place: a seeded canonical weight map for a VitConfig (truncated normal
 * std 0.02 for matrices and tokens, as timm initialises a ViT) and initVitRandom for tests and
 * for pretraining from scratch. Biases and LayerNorm affines are random too by default
 * ('test' mode), so that a term dropped by mistake changes the output; 'timm' mode uses
 * zero biases and unit LayerNorm weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createVit } from './create_vit.ts';
import type { Vit } from './vit.ts';
import type { VitConfig } from './vit_config.ts';
import { vitWeightShapes } from './vit_weights.ts';

export type InitMode = 'test' | 'timm';

const INIT_MODES: readonly InitMode[] = ['test', 'timm'];

export function isNormWeight(name: string): boolean {
  return /(^|\.)(norm\d?|norm_pre)\.weight$/.test(name);
}

export function isBias(name: string): boolean {
  return name.endsWith('.bias');
}

/** Canonical name -> tensor, deterministic in (config, seed, mode). The caller disposes them. */
export function randomVitWeights(config: VitConfig, seed: number, mode: InitMode = 'test'): Map<string, tf.Tensor> {
  if (!INIT_MODES.includes(mode))
    throw new Error(`unknown init mode '${String(mode)}' (expected ${INIT_MODES.join(', ')})`);
  const weights = new Map<string, tf.Tensor>();
  let index = 0;
  for (const [name, shape] of vitWeightShapes(config)) {
    const s = seed * 1000 + index++;
    let t: tf.Tensor;
    if (isNormWeight(name)) {
      t = mode === 'timm' ? tf.ones(shape) : tf.tidy(() => tf.add(1, tf.randomNormal(shape, 0, 0.1, 'float32', s)));
    } else if (isBias(name)) {
      t = mode === 'timm' ? tf.zeros(shape) : tf.randomNormal(shape, 0, 0.05, 'float32', s);
    } else {
      t = tf.truncatedNormal(shape, 0, 0.02, 'float32', s);
    }
    weights.set(name, t);
  }
  return weights;
}

export function initVitRandom(config: VitConfig, seed: number, mode: InitMode = 'test'): Vit {
  const weights = randomVitWeights(config, seed, mode);
  try {
    return createVit(config, weights);
  } finally {
    tf.dispose([...weights.values()]);
  }
}
