/**
 * Matrix-multiply FLOPs of one image through the benchmark's steps, counted from the shapes
 * (2 FLOPs per multiply-add). Backward passes compute input gradients only (the backbone is
 * frozen): a linear layer's backward costs what its forward costs, attention's twice.
 *
 * Two counts. Nominal: the plain step, as PyTorch runs it (every token of every block, the
 * prompts' own outputs included, both passes of phase 2 and inference from the image up); the
 * same for both implementations, so a nominal GFLOP/s ratio is the img/s ratio. Executed: what
 * lpt computes on the paths it runs (runtime/model/speed.ts): with prompt trimming the prompts are
 * keys and values only (their qkv is computed, nothing after it); with the CLS-only last block the
 * last block's queries, projection and MLP run for one token; with the shared prefix the blocks
 * before the pool's first run once for both passes; the first block under the gradient, whose
 * input tokens are frozen (the embedding's, or the prefix's), computes the qkv input gradient of
 * its prompt rows only (block_grad.ts). Executed GFLOP/s is what can be set against the machine's
 * sgemm.
 */
import { BENCH_CONFIGS, type BenchConfig, type Phase } from './config.ts';
import { PLAIN_PATHS, type ModelPaths } from '../runtime/model/speed.ts';
import { tokenCount } from '../runtime/model/vit_config.ts';

type TokenPaths = Pick<ModelPaths, 'prompts' | 'prefix' | 'lastBlock'>;

/**
 * One block's products: `context` tokens (image and prompts) as keys and values, `queries` as
 * outputs; `qkvRows` of them through the qkv projection (its input gradient, backward).
 */
function blockMacs(b: BenchConfig, context: number, queries: number, backward: boolean, qkvRows = context): number {
  const { dim, mlpDim } = b.vit;
  const qkv = qkvRows * 3 * dim * dim;
  const rest = queries * (dim * dim + 2 * dim * mlpDim);
  const attention = 2 * queries * context * dim;
  return qkv + rest + (backward ? 2 : 1) * attention;
}

/**
 * Blocks [from, to) of one pass, forward and, when `backward`, backward too; `frozenInput`: the
 * tokens entering block `from` get no gradient.
 */
function passMacs(
  b: BenchConfig,
  paths: TokenPaths,
  from: number,
  to: number,
  pool: boolean,
  backward: boolean,
  frozenInput = false,
) {
  const { depth } = b.vit;
  const image = tokenCount(b.vit);
  let macs = 0;
  for (let i = from; i < to; i++) {
    const prompts = b.promptLength + (pool && b.poolLayers.includes(i) ? b.promptLength : 0);
    const context = image + prompts;
    const queries = paths.lastBlock === 'cls' && i === depth - 1 ? 1 : paths.prompts === 'trim' ? image : context;
    const qkvRows = frozenInput && i === from ? prompts : context;
    macs += blockMacs(b, context, queries, false) + (backward ? blockMacs(b, context, queries, true, qkvRows) : 0);
  }
  return macs;
}

function patchMacs(b: BenchConfig): number {
  const c = b.vit;
  return (tokenCount(c) - 1) * c.channels * c.patchSize ** 2 * c.dim;
}

/** `lpt`: lpt's step, whose first block under the gradient computes no input gradient for frozen tokens. */
function stepMacs(phase: Phase, b: BenchConfig, paths: TokenPaths, lpt: boolean): number {
  const { depth } = b.vit;
  if (phase === '1') return patchMacs(b) + passMacs(b, paths, 0, depth, false, true, lpt);
  const first = b.poolLayers[0]!;
  // The query pass (no gradient) and the prompted pass; with the shared prefix, blocks before the
  // pool's first run once for both.
  const prefixRuns = paths.prefix === 'reuse' ? 1 : 2;
  const prefix = prefixRuns * (patchMacs(b) + passMacs(b, paths, 0, first, false, false));
  const query = passMacs(b, paths, first, depth, false, false);
  const prompted = passMacs(b, paths, first, depth, true, phase === '2', lpt && paths.prefix === 'reuse');
  return prefix + query + prompted;
}

/** The plain step's FLOPs per image (what PyTorch computes). */
export function nominalFlopsPerImage(phase: Phase, b: BenchConfig = BENCH_CONFIGS.small): number {
  return 2 * stepMacs(phase, b, PLAIN_PATHS, false);
}

/** The FLOPs per image lpt computes on `paths`. */
export function executedFlopsPerImage(phase: Phase, b: BenchConfig, paths: TokenPaths): number {
  return 2 * stepMacs(phase, b, paths, true);
}
