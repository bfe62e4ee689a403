/**
 * VitConfig: one object describing a Vision Transformer (Dosovitskiy et al., arXiv 2010.11929),
 * in timm's and OpenAI CLIP's variants. Its invariants are checked when it is made, so every
 * later stage can rely on them (nanoGPT's GPTConfig, timm's VisionTransformer arguments).
 */
import { assertNoProblems, checkPositiveInt } from './errors.ts';

import type { Activation } from '../../plan/enums.ts';

export type { Activation };

export interface VitConfig {
  readonly imageSize: number;
  readonly patchSize: number;
  readonly channels: number;
  readonly dim: number;
  readonly depth: number;
  readonly heads: number;
  /** Hidden width of each block's MLP (timm: mlp_ratio * dim). */
  readonly mlpDim: number;
  /** LayerNorm epsilon: 1e-6 for timm / Google ViTs, 1e-5 for CLIP and torchvision's default. */
  readonly layerNormEps: number;
  /** 'gelu' is the exact erf form; CLIP uses 'quick_gelu' x * sigmoid(1.702 x). */
  readonly activation: Activation;
  /** The patch projection has a bias (timm, torchvision); CLIP's conv1 has none. */
  readonly patchBias: boolean;
  /** A LayerNorm after the position embedding (CLIP's ln_pre, timm's norm_pre). */
  readonly preNorm: boolean;
  /** Output width of a bias-free projection after the final LayerNorm (CLIP's proj), or null. */
  readonly projectionDim: number | null;
}

export type VitConfigInit = Pick<VitConfig, 'imageSize' | 'patchSize' | 'dim' | 'depth' | 'heads'> & Partial<VitConfig>;

/** Patches per side. */
export function gridSize(config: VitConfig): number {
  return config.imageSize / config.patchSize;
}

/** Tokens entering the first block: CLS plus one per patch. */
export function tokenCount(config: VitConfig): number {
  return 1 + gridSize(config) ** 2;
}

export function headDim(config: VitConfig): number {
  return config.dim / config.heads;
}

/** Fills the defaults (channels 3, MLP ratio 4, eps 1e-6, GELU, timm layout) and checks. */
export function makeVitConfig(init: VitConfigInit): VitConfig {
  const config: VitConfig = {
    channels: 3,
    mlpDim: 4 * init.dim,
    layerNormEps: 1e-6,
    activation: 'gelu',
    patchBias: true,
    preNorm: false,
    projectionDim: null,
    ...init,
  };
  assertNoProblems('ViT config', vitConfigProblems(config));
  return config;
}

export function vitConfigProblems(c: VitConfig): string[] {
  const problems = [
    ...checkPositiveInt('imageSize', c.imageSize),
    ...checkPositiveInt('patchSize', c.patchSize),
    ...checkPositiveInt('channels', c.channels),
    ...checkPositiveInt('dim', c.dim),
    ...checkPositiveInt('depth', c.depth),
    ...checkPositiveInt('heads', c.heads),
    ...checkPositiveInt('mlpDim', c.mlpDim),
  ];
  if (problems.length > 0) return problems;
  if (c.dim % c.heads !== 0) problems.push(`dim ${c.dim} is not divisible by heads ${c.heads}`);
  if (c.imageSize % c.patchSize !== 0) {
    problems.push(`imageSize ${c.imageSize} is not divisible by patchSize ${c.patchSize}`);
  }
  if (!(c.layerNormEps > 0)) problems.push(`layerNormEps must be positive (got ${c.layerNormEps})`);
  if (c.activation !== 'gelu' && c.activation !== 'quick_gelu') {
    problems.push(`activation must be 'gelu' or 'quick_gelu' (got '${String(c.activation)}')`);
  }
  if (c.projectionDim !== null) problems.push(...checkPositiveInt('projectionDim', c.projectionDim));
  return problems;
}
