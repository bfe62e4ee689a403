/**
 * Matrix-multiply FLOPs of one image through the benchmark's steps, counted from the shapes
 * (2 FLOPs per multiply-add). Backward passes compute input gradients only (the backbone is
 * frozen): a linear layer's backward costs what its forward costs, attention's twice. Both
 * implementations are credited with the same count, so GFLOP/s ratios equal img/s ratios.
 */
import { BENCH_VIT, type Phase, POOL_LAYERS, PROMPT_LENGTH } from './config.ts';
import { tokenCount, type VitConfig } from '../runtime/model/vit_config.ts';

function linearMacs(c: VitConfig, tokens: number): number {
  return tokens * (c.dim * 3 * c.dim + c.dim * c.dim + 2 * c.dim * c.mlpDim);
}

function attentionMacs(c: VitConfig, tokens: number): number {
  return 2 * tokens * tokens * c.dim;
}

/** Tokens block i sees: CLS + patches + shared prompt (+ the pool's tokens in the pool's blocks). */
function blockTokens(c: VitConfig, i: number, withPool: boolean): number {
  return tokenCount(c) + PROMPT_LENGTH + (withPool && POOL_LAYERS.includes(i) ? PROMPT_LENGTH : 0);
}

function forwardMacs(c: VitConfig, withPool: boolean): number {
  const patches = tokenCount(c) - 1;
  let macs = patches * c.channels * c.patchSize ** 2 * c.dim;
  for (let i = 0; i < c.depth; i++) {
    const n = blockTokens(c, i, withPool);
    macs += linearMacs(c, n) + attentionMacs(c, n);
  }
  return macs;
}

/** Blocks from `first` on, backward to their input. */
function backwardMacs(c: VitConfig, first: number, withPool: boolean): number {
  let macs = 0;
  for (let i = first; i < c.depth; i++) {
    const n = blockTokens(c, i, withPool);
    macs += linearMacs(c, n) + 2 * attentionMacs(c, n);
  }
  return macs;
}

export function flopsPerImage(phase: Phase, c: VitConfig = BENCH_VIT): number {
  const macs =
    phase === '1'
      ? forwardMacs(c, false) + backwardMacs(c, 0, false)
      : phase === '2'
        ? forwardMacs(c, false) + forwardMacs(c, true) + backwardMacs(c, POOL_LAYERS[0]!, true)
        : forwardMacs(c, false) + forwardMacs(c, true);
  return 2 * macs;
}
