/**
 * What each task of a `--slurm` run asks Slurm for: the plan's `slurm(...)` settings, overridden
 * by `--slurm-option KEY=VALUE`, the rest estimated from the plan: one GPU when its backend is a
 * GPU one, 2 CPUs, and memory from the compiler's estimate (docs/SLURM.md).
 */
import type { Plan, PlanSlurm } from '../../plan/plan.ts';
import { UserError } from '../errors.ts';

export interface TaskResources {
  readonly cpus: number;
  /** sbatch --mem ("2560M", "16G"). */
  readonly mem: string;
  readonly gpus: number;
  /** Seconds before the time limit at which the task checkpoints and requeues itself. */
  readonly signal: number;
  readonly partition?: string;
  readonly account?: string;
  readonly time?: string;
  readonly constraint?: string;
  readonly qos?: string;
  readonly options: readonly string[];
}

export const DEFAULT_CPUS = 2;
export const DEFAULT_SIGNAL_SECONDS = 120;
/** A Node.js process with TensorFlow.js, the dataset in memory and the text caches, before any model. */
const PROCESS_BASE_MB = 2048;

export class SlurmOptionError extends UserError {
  override readonly name = 'SlurmOptionError';
}

const TEXT_KEYS = ['partition', 'account', 'time', 'mem', 'constraint', 'qos'] as const;
const COUNT_KEYS = ['gpus', 'cpus', 'signal'] as const;

/**
 * `--slurm-option KEY=VALUE`s as settings: the keys of `slurm(...)` set that setting, any other
 * key (`mail-type=END`) becomes the sbatch option `--KEY=VALUE`.
 */
export function parseSlurmOptions(pairs: readonly string[]): PlanSlurm {
  const settings: Record<string, unknown> = {};
  const options: string[] = [];
  for (const pair of pairs) {
    const match = /^([a-z][a-z0-9-]*)=(.*)$/.exec(pair);
    if (match === null)
      throw new SlurmOptionError(`--slurm-option ${pair}: expected KEY=VALUE with a lower-case sbatch option name`);
    const [, key, value] = match as unknown as [string, string, string];
    if ((COUNT_KEYS as readonly string[]).includes(key)) {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 0)
        throw new SlurmOptionError(`--slurm-option ${pair}: ${key} takes a whole number >= 0`);
      settings[key] = n;
    } else if ((TEXT_KEYS as readonly string[]).includes(key)) {
      if (value === '') throw new SlurmOptionError(`--slurm-option ${pair}: ${key} needs a value`);
      settings[key] = value;
    } else options.push(`--${key}=${value}`);
  }
  return { ...settings, ...(options.length > 0 ? { options } : {}) } as PlanSlurm;
}

/** The plan's settings with `overrides` (the command line's) winning; their extra options add to the plan's. */
export function taskResources(plan: Plan, overrides: PlanSlurm = {}): TaskResources {
  const s: PlanSlurm = { ...plan.slurm, ...overrides };
  const gpuBackend = plan.backend === 'node_gpu' || plan.backend === 'webgpu';
  return {
    cpus: s.cpus ?? DEFAULT_CPUS,
    mem: s.mem ?? `${estimatedMemoryMb(plan)}M`,
    gpus: s.gpus ?? (gpuBackend ? 1 : 0),
    signal: s.signal ?? DEFAULT_SIGNAL_SECONDS,
    ...(s.partition !== undefined ? { partition: s.partition } : {}),
    ...(s.account !== undefined ? { account: s.account } : {}),
    ...(s.time !== undefined ? { time: s.time } : {}),
    ...(s.constraint !== undefined ? { constraint: s.constraint } : {}),
    ...(s.qos !== undefined ? { qos: s.qos } : {}),
    options: [...(plan.slurm?.options ?? []), ...(overrides.options ?? [])],
  };
}

/**
 * The process's memory: a base for Node.js and TensorFlow.js, the frozen backbones (their weights
 * and a gradient-sized copy), and four times the largest phase's activation estimate (the compiler's,
 * `lpt compile --summary`), rounded up to 256 MB.
 */
export function estimatedMemoryMb(plan: Plan): number {
  const activations = Math.max(0, ...plan.budget.phases.map((p) => p.activationBytes));
  const bytes = 8 * plan.budget.backboneParams + 4 * activations;
  return Math.ceil((PROCESS_BASE_MB + bytes / 2 ** 20) / 256) * 256;
}

/** The sbatch options of one task's resources (the array, the log and the script are the submitter's). */
export function resourceArguments(r: TaskResources): string[] {
  return [
    `--cpus-per-task=${r.cpus}`,
    `--mem=${r.mem}`,
    ...(r.gpus > 0 ? [`--gpus=${r.gpus}`] : []),
    `--signal=USR1@${r.signal}`,
    ...(r.partition !== undefined ? [`--partition=${r.partition}`] : []),
    ...(r.account !== undefined ? [`--account=${r.account}`] : []),
    ...(r.time !== undefined ? [`--time=${r.time}`] : []),
    ...(r.constraint !== undefined ? [`--constraint=${r.constraint}`] : []),
    ...(r.qos !== undefined ? [`--qos=${r.qos}`] : []),
    ...r.options,
  ];
}

/** One line for `lpt compile --summary`: what each task requests. */
export function describeResources(r: TaskResources): string {
  return [
    `${r.cpus} CPU${r.cpus === 1 ? '' : 's'}`,
    `${r.mem} memory`,
    `${r.gpus} GPU${r.gpus === 1 ? '' : 's'}`,
    ...(r.time !== undefined ? [`time ${r.time}`] : []),
    ...(r.partition !== undefined ? [`partition ${r.partition}`] : []),
    ...(r.account !== undefined ? [`account ${r.account}`] : []),
    ...(r.constraint !== undefined ? [`constraint ${r.constraint}`] : []),
    ...(r.qos !== undefined ? [`qos ${r.qos}`] : []),
    `USR1 ${r.signal} s before the limit`,
    ...r.options,
  ].join(', ');
}
