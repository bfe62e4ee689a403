/**
 * The path each model-level lever of ../speed.ts takes on this backend: 'auto' resolved, and a fused
 * path asked for where its kernel does not exist (no native addon, another backend) replaced by
 * the best one that does. Call after the backend started (it installs the kernels).
 */
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_SPEED, type KernelSettings, type ModelPaths, type SpeedSettings } from '../speed.ts';
import { kernelSettings } from './install.ts';
import { nativeAddon } from './native_addon.ts';
import { hasKernel, KERNELS } from './native_kernels.ts';

export function resolveModelPaths(settings: SpeedSettings = DEFAULT_SPEED): ModelPaths {
  const asked = settings.attention;
  const fusedAttention = hasKernel(KERNELS.attention);
  return {
    attention:
      asked === 'split' || asked === 'batched'
        ? asked
        : fusedAttention
          ? 'fused'
          : tf.getBackend() === 'wasm'
            ? 'split'
            : 'batched',
    layerNorm: settings.layerNorm !== 'ops' && hasKernel(KERNELS.layerNorm) ? 'fused' : 'ops',
    gelu: settings.gelu !== 'ops' && hasKernel(KERNELS.gelu) ? 'fused' : 'ops',
    block: settings.block !== 'ops' && hasKernel(KERNELS.block) ? 'fused' : 'ops',
    prompts: settings.prompts,
    prefix: settings.prefix,
    lastBlock: settings.lastBlock,
  };
}

/** What runs, for reports: the model's paths and the installed kernels' levers. */
export function effectivePaths(paths: ModelPaths, kernels: KernelSettings = kernelSettings()): Record<string, string> {
  const wasm = tf.getBackend() === 'wasm';
  return {
    ...paths,
    copies: wasm ? kernels.copies : 'n/a',
    matmul: wasm && nativeAddon() !== null ? kernels.matmul : wasm ? 'wasm' : 'n/a',
  };
}
