/**
 * Matrix-multiply FLOPs of one image through the benchmark's steps, counted from the shapes
 * (2 FLOPs per multiply-add). Backward passes compute input gradients only (the backbone is
 * frozen): a linear layer's backward costs what its forward costs, attention's twice. Both
 * implementations are credited with the same count, so GFLOP/s ratios equal img/s ratios.
 */
import { BENCH_CONFIGS, type BenchConfig, type Phase } from './config.ts';
import { tokenCount, type VitConfig } from '../runtime/model/vit_config.ts';

function linearMacs(c: VitConfig, tokens: number): number {
  return tokens * (c.dim * 3 * c.dim + c.dim * c.dim + 2 * c.dim * c.mlpDim);
}

function attentionMacs(c: VitConfig, tokens: number): number {
  return 2 * tokens * tokens * c.dim;
}

/** Tokens block i sees: CLS + patches + shared prompt (+ the pool's tokens in the pool's blocks). */
function blockTokens(b: BenchConfig, i: number, withPool: boolean): number {
  return tokenCount(b.vit) + b.promptLength + (withPool && b.poolLayers.includes(i) ? b.promptLength : 0);
}

function forwardMacs(b: BenchConfig, withPool: boolean): number {
  const c = b.vit;
  const patches = tokenCount(c) - 1;
  let macs = patches * c.channels * c.patchSize ** 2 * c.dim;
  for (let i = 0; i < c.depth; i++) {
    const n = blockTokens(b, i, withPool);
    macs += linearMacs(c, n) + attentionMacs(c, n);
  }
  return macs;
}

/** Blocks from `first` on, backward to their input. */
function backwardMacs(b: BenchConfig, first: number, withPool: boolean): number {
  const c = b.vit;
  let macs = 0;
  for (let i = first; i < c.depth; i++) {
    const n = blockTokens(b, i, withPool);
    macs += linearMacs(c, n) + 2 * attentionMacs(c, n);
  }
  return macs;
}

export function flopsPerImage(phase: Phase, b: BenchConfig = BENCH_CONFIGS.small): number {
  const macs =
    phase === '1'
      ? forwardMacs(b, false) + backwardMacs(b, 0, false)
      : phase === '2'
        ? forwardMacs(b, false) + forwardMacs(b, true) + backwardMacs(b, b.poolLayers[0]!, true)
        : forwardMacs(b, false) + forwardMacs(b, true);
  return 2 * macs;
}
