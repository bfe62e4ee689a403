/**
 * Command line of `npm run bench` (bench/run.ts). Levers are set with the same names as their
 * environment variables' values (runtime/model/speed.ts); `--compare LEVER` times every choice
 * of one lever in the same invocation, interleaved, and prints each one's ratio to the first.
 */
import { BENCH_CONFIG_NAMES, BENCH_CONFIGS, type BenchConfigName, type Phase, PHASES } from './config.ts';
import { PLAIN_SPEED, speedChoices, type SpeedSettings } from '../runtime/model/speed.ts';
import {
  PEER_ALLOCATORS,
  PEER_MODELS,
  PEER_WAITS,
  type PeerAllocator,
  type PeerModel,
  type PeerWait,
} from './peer_env.ts';

/**
 * The model's levers plus the bench's own: the query cache (lever (e), wired by the executor)
 * and 'all' (every model lever at once: the default against PLAIN_SPEED).
 */
export type LeverName = keyof SpeedSettings | 'queryCache' | 'all';
const LEVERS: readonly LeverName[] = [
  'attention',
  'layerNorm',
  'gelu',
  'block',
  'blockGrad',
  'copies',
  'matmul',
  'prompts',
  'prefix',
  'lastBlock',
  'queryCache',
  'all',
];

export function leverChoices(lever: LeverName): readonly string[] {
  if (lever === 'queryCache') return ['on', 'off'];
  if (lever === 'all') return ['default', 'plain'];
  return speedChoices(lever);
}

export interface BenchArgs {
  readonly json: boolean;
  /** The backend preference (--backend; else LPT_BACKEND; else auto). */
  readonly backend: string | null;
  readonly config: BenchConfigName;
  readonly phases: readonly Phase[];
  readonly batches: readonly number[];
  readonly warmup: number;
  readonly steps: number;
  /** Timed repetitions per measurement, interleaved with the peers; the median counts. */
  readonly rounds: number;
  readonly torch: boolean;
  /** The PyTorch peers: every model with every allocator and wait policy (bench/peer_env.ts). */
  readonly torchModels: readonly PeerModel[];
  readonly torchAllocators: readonly PeerAllocator[];
  readonly torchWaits: readonly PeerWait[];
  readonly levers: Partial<SpeedSettings>;
  readonly queryCache: boolean;
  readonly compare: LeverName | null;
  /** Measure the bytes per image one training step keeps instead of timing (bench/memory.ts). */
  readonly memory: boolean;
  /** Images per pass of a training step (--micro-batch; null: the whole batch at once). */
  readonly microBatch: number | null;
}

export const USAGE = `usage: npm run bench -- [options]
  --json                 one JSON object per line and per measurement
  --backend B            auto, node-gpu, webgpu, node, wasm, cpu (default: LPT_BACKEND, else auto)
  --config C             small (default: ViT 28px/4, dim 192, depth 6) or vitb16 (224px/16, dim 768,
                         depth 12, the paper's prompt sizes)
  --phases 1,2,infer     phases to time (default all)
  --batches 32,128       batch sizes (default 32,128; 8 for vitb16)
  --warmup N             untimed steps first (default 2)
  --steps N              timed steps per round (default 3)
  --rounds N             rounds, interleaved with the PyTorch peers; the median counts (default 3)
  --no-torch             skip the PyTorch peers
  --torch-models M       PyTorch peers: timm (scripts/bench/torch_step.py), encoder
                         (scripts/bench/torch_encoder_step.py); default both; lpt is compared with the faster
  --torch-allocators A   the peers' allocators: jemalloc, tcmalloc, glibc (tunables), default (default tcmalloc,glibc:
                         each runs; the faster counts)
  --torch-waits W        the peers' OMP_WAIT_POLICY: passive, active (default passive); every peer also gets
                         lpt's OpenBLAS core type and OPENBLAS_THREAD_TIMEOUT=4, unless the environment sets them
  --attention auto|fused|split|batched, --layerNorm auto|fused|ops, --gelu auto|fused|ops, --block auto|fused|ops,
  --blockGrad saved|autodiff, --copies tfjs|lean,
  --matmul wasm|native, --prompts trim|full, --prefix reuse|recompute, --lastBlock cls|all
                         set a lever
  --compare LEVER        time every choice of LEVER (${LEVERS.join(', ')}) and print its gain
  --memory               instead of timing, the bytes per image one step of phases 1 and 2 keeps, here
                         and in the PyTorch peer, from one step at each of two batch sizes (default 1,2)
  --micro-batch N        training steps run N images at a time, adding the gradients up (default: all at once)`;

export class BenchArgsError extends Error {
  override readonly name = 'BenchArgsError';
}

function integer(flag: string, raw: string | undefined, min: number): number {
  const n = Number(raw);
  if (raw === undefined || raw === '' || !Number.isInteger(n) || n < min) {
    throw new BenchArgsError(`${flag} needs an integer >= ${min}, got '${raw ?? ''}'`);
  }
  return n;
}

const positiveInt = (flag: string, raw: string | undefined) => integer(flag, raw, 1);

function list<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[]): T[] {
  const items = (raw ?? '').split(',').filter((s) => s !== '');
  const bad = items.filter((s) => !allowed.includes(s as T));
  if (items.length === 0 || bad.length > 0)
    throw new BenchArgsError(`${flag} takes a list of ${allowed.join(', ')}, got '${raw ?? ''}'`);
  return items as T[];
}

function isLever(name: string): name is LeverName {
  return (LEVERS as readonly string[]).includes(name);
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let args: { -readonly [K in keyof BenchArgs]: BenchArgs[K] } = {
    json: false,
    backend: null,
    config: 'small',
    phases: PHASES,
    batches: [],
    warmup: 2,
    steps: 3,
    rounds: 3,
    torch: true,
    torchModels: PEER_MODELS,
    torchAllocators: ['tcmalloc', 'glibc'],
    torchWaits: ['passive'],
    levers: {},
    queryCache: false,
    compare: null,
    memory: false,
    microBatch: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => argv[++i];
    const name = flag.replace(/^--/, '');
    if (flag === '--json') args.json = true;
    else if (flag === '--no-torch') args.torch = false;
    else if (flag === '--memory') args.memory = true;
    else if (flag === '--backend') args.backend = value() ?? '';
    else if (flag === '--config') args.config = list('--config', value(), BENCH_CONFIG_NAMES)[0]!;
    else if (flag === '--phases') args.phases = list('--phases', value(), PHASES);
    else if (flag === '--batches') args.batches = (value() ?? '').split(',').map((b) => positiveInt('--batches', b));
    else if (flag === '--warmup') args.warmup = integer('--warmup', value(), 0);
    else if (flag === '--steps') args.steps = positiveInt('--steps', value());
    else if (flag === '--rounds') args.rounds = positiveInt('--rounds', value());
    else if (flag === '--torch-models') args.torchModels = list(flag, value(), PEER_MODELS);
    else if (flag === '--torch-allocators') args.torchAllocators = list(flag, value(), PEER_ALLOCATORS);
    else if (flag === '--torch-waits') args.torchWaits = list(flag, value(), PEER_WAITS);
    else if (flag === '--micro-batch') args.microBatch = positiveInt('--micro-batch', value());
    else if (flag === '--compare') {
      const lever = value() ?? '';
      if (!isLever(lever)) throw new BenchArgsError(`--compare takes one of ${LEVERS.join(', ')}, got '${lever}'`);
      args.compare = lever;
    } else if (flag.startsWith('--') && isLever(name)) {
      const [choice] = list(flag, value(), leverChoices(name));
      if (name === 'queryCache') args.queryCache = choice === 'on';
      else if (name === 'all') args = { ...args, levers: choice === 'plain' ? PLAIN_SPEED : {} };
      else args = { ...args, levers: { ...args.levers, [name]: choice } };
    } else throw new BenchArgsError(`unknown option '${flag}'\n${USAGE}`);
  }
  if (args.backend === '') throw new BenchArgsError('--backend needs a backend name');
  if (args.batches.length > 0) return args;
  return { ...args, batches: args.memory ? [1, 2] : BENCH_CONFIGS[args.config].batches };
}
