/**
 * The path each lever of speed.ts takes right now: 'auto' resolved, and a fused path asked for
 * where its kernel does not exist (no native addon, another backend) replaced by the best one
 * that does. Installs the kernels first, so it works before any forward pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import { speedSettings } from '../speed.ts';
import { ensureSpeedKernels } from './install.ts';
import { nativeAddon } from './native_addon.ts';
import { hasKernel, KERNELS } from './native_kernels.ts';

export type EffectiveAttention = 'fused' | 'split' | 'batched';

export function attentionPath(): EffectiveAttention {
  ensureSpeedKernels();
  const asked = speedSettings().attention;
  if (asked === 'split' || asked === 'batched') return asked;
  if (hasKernel(KERNELS.attention)) return 'fused';
  return tf.getBackend() === 'wasm' ? 'split' : 'batched';
}

export function layerNormPath(): 'fused' | 'ops' {
  ensureSpeedKernels();
  return speedSettings().layerNorm !== 'ops' && hasKernel(KERNELS.layerNorm) ? 'fused' : 'ops';
}

export function geluPath(): 'fused' | 'ops' {
  ensureSpeedKernels();
  return speedSettings().gelu !== 'ops' && hasKernel(KERNELS.gelu) ? 'fused' : 'ops';
}

/** What runs, for reports: every lever with 'auto' resolved. */
export function effectivePaths(): Record<string, string> {
  const s = speedSettings();
  const wasm = tf.getBackend() === 'wasm';
  return {
    attention: attentionPath(),
    layerNorm: layerNormPath(),
    gelu: geluPath(),
    copies: wasm ? s.copies : 'n/a',
    matmul: wasm && nativeAddon() !== null ? s.matmul : wasm ? 'wasm' : 'n/a',
    prompts: s.prompts,
  };
}
