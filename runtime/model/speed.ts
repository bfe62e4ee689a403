/**
 * Speed levers of the model code, each switchable on its own so that its gain can be measured
 * (docs/PERFORMANCE.md, `npm run bench`). Every lever changes how a result is computed, never the
 * result: test/runtime/model/speed_paths.test.ts compares each fast path with the plain one.
 * The settings are values passed explicitly: the command line reads them from the environment at
 * its edge (cli/runtime_settings.ts). The model-level levers are resolved once into ModelPaths
 * (kernels/paths.ts) and built into the backbone's parameters (params.ts); the kernel-level ones
 * (copies, matmul) configure the installed kernels (kernels/install.ts).
 */

import { UserError } from '../errors.ts';

export type AttentionPath = 'auto' | 'fused' | 'split' | 'batched';
export type LayerNormPath = 'auto' | 'fused' | 'ops';
export type GeluPath = 'auto' | 'fused' | 'ops';
export type BlockPath = 'auto' | 'fused' | 'ops';
export type BlockGradPath = 'saved' | 'autodiff';
export type CopyPath = 'lean' | 'tfjs';
export type MatMulPath = 'native' | 'wasm';
export type PromptPath = 'trim' | 'full';
export type PrefixPath = 'reuse' | 'recompute';
export type LastBlockPath = 'cls' | 'all';

export interface SpeedSettings {
  /**
   * 'batched': one BatchMatMul over [B*H]; 'split': 2-D matMuls per (image, head) slice;
   * 'fused': the native addon's attention kernel; 'auto': fused when the addon is built, else
   * split on wasm, else batched (kernels/paths.ts).
   */
  readonly attention: AttentionPath;
  /** 'ops': tfjs ops and their gradients; 'fused': the native kernel; 'auto': fused if built. */
  readonly layerNorm: LayerNormPath;
  /** 'ops': tfjs ops and their gradients; 'fused': the native kernel; 'auto': fused if built. */
  readonly gelu: GeluPath;
  /**
   * 'fused': a transformer block run where no gradient is recorded (prediction, the query pass,
   * the shared prefix) is one native kernel (LayerNorms, qkv, attention, projection, MLP,
   * residuals; kernels/native_kernels.ts); under a gradient (with blockGrad 'saved') its forward
   * and its input gradient are one native call each; with a parallel branch (adapters) it keeps
   * the per-op path. 'ops': the per-op path everywhere. 'auto': fused if built.
   */
  readonly block: BlockPath;
  /**
   * Under a gradient, a block without a parallel branch: 'saved', one custom-gradient op that
   * keeps only what its backward needs (block_grad.ts; memory, docs/PERFORMANCE.md); 'autodiff':
   * tfjs records each op and keeps every intermediate and its gradient until the pass ends.
   */
  readonly blockGrad: BlockGradPath;
  /**
   * wasm only. 'lean': Slice/Unpack/SplitV copy just their output, Identity and same-dtype Cast
   * share their input's data; 'tfjs': the backend's own kernels (copies).
   */
  readonly copies: CopyPath;
  /** wasm only. 'native': the native addon's BLAS when it is built (else 'wasm'); 'wasm': tfjs's. */
  readonly matmul: MatMulPath;
  /**
   * 'full': a block with deep-prompt tokens runs on [x, prompts] and drops the prompts' outputs;
   * 'trim': it never computes those outputs (only their keys and values; block.ts).
   */
  readonly prompts: PromptPath;
  /**
   * 'reuse': when the blocks before the pool's first block hold nothing that trains, the query
   * pass and the prompted pass share their output (computed once, lpt_model.ts forwardPrefix);
   * 'recompute': each pass runs every block.
   */
  readonly prefix: PrefixPath;
  /**
   * 'cls': the last block computes only the CLS token's output, the one token the final
   * LayerNorm reads (the others are keys and values only, as prompts are under 'trim');
   * 'all': it computes every token's output and the CLS token is taken afterwards.
   */
  readonly lastBlock: LastBlockPath;
}

const CHOICES: { readonly [K in keyof SpeedSettings]: readonly SpeedSettings[K][] } = {
  attention: ['auto', 'fused', 'split', 'batched'],
  layerNorm: ['auto', 'fused', 'ops'],
  gelu: ['auto', 'fused', 'ops'],
  block: ['auto', 'fused', 'ops'],
  blockGrad: ['saved', 'autodiff'],
  copies: ['lean', 'tfjs'],
  matmul: ['native', 'wasm'],
  prompts: ['trim', 'full'],
  prefix: ['reuse', 'recompute'],
  lastBlock: ['cls', 'all'],
};

/** The first choice of each lever is the default. */
export const DEFAULT_SPEED: SpeedSettings = {
  attention: CHOICES.attention[0]!,
  layerNorm: CHOICES.layerNorm[0]!,
  gelu: CHOICES.gelu[0]!,
  block: CHOICES.block[0]!,
  blockGrad: CHOICES.blockGrad[0]!,
  copies: CHOICES.copies[0]!,
  matmul: CHOICES.matmul[0]!,
  prompts: CHOICES.prompts[0]!,
  prefix: CHOICES.prefix[0]!,
  lastBlock: CHOICES.lastBlock[0]!,
};

/** The straightforward implementation every lever is measured against (and tested equal to). */
export const PLAIN_SPEED: SpeedSettings = {
  attention: 'batched',
  layerNorm: 'ops',
  gelu: 'ops',
  block: 'ops',
  blockGrad: 'autodiff',
  copies: 'tfjs',
  matmul: 'wasm',
  prompts: 'full',
  prefix: 'recompute',
  lastBlock: 'all',
};

export class SpeedSettingError extends UserError {
  override readonly name = 'SpeedSettingError';
}

export function speedChoices<K extends keyof SpeedSettings>(key: K): readonly SpeedSettings[K][] {
  return CHOICES[key];
}

/** The model-level levers with 'auto' resolved against the kernels that exist (kernels/paths.ts). */
export interface ModelPaths {
  readonly attention: 'fused' | 'split' | 'batched';
  readonly layerNorm: 'fused' | 'ops';
  readonly gelu: 'fused' | 'ops';
  readonly block: 'fused' | 'ops';
  readonly blockGrad: BlockGradPath;
  readonly prompts: PromptPath;
  readonly prefix: PrefixPath;
  readonly lastBlock: LastBlockPath;
}

/** The kernel-level levers (wasm only), applied by the installed kernel replacements. */
export type KernelSettings = Pick<SpeedSettings, 'copies' | 'matmul'>;

export const PLAIN_PATHS: ModelPaths = {
  attention: 'batched',
  layerNorm: 'ops',
  gelu: 'ops',
  block: 'ops',
  blockGrad: 'autodiff',
  prompts: 'full',
  prefix: 'recompute',
  lastBlock: 'all',
};
