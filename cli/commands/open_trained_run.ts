/**
 * What `lpt predict` and `lpt evaluate` share: the --seed option, the chosen plan of RUN_DIR, the
 * backend (--backend, else the one the plan's run used: used_backend.ts), and the plan loaded with
 * its trained state (chosen and loaded in two steps, so that a command can check its own input
 * between them, before any weight is read).
 */
import { resolve } from 'node:path';
import { initBackend } from '../../runtime/backend/init.ts';
import { BackendError, type BackendChoice } from '../../runtime/backend/preference.ts';
import { imageLoadingFromEnv } from '../../runtime/data/pipeline/image_loading_env.ts';
import { configureImageLoading, imageLoadingStarted } from '../../runtime/data/pipeline/loader.ts';
import { type ChosenPlan, chooseTrainedPlan, loadTrainedRun, type TrainedRun } from '../../runtime/use/trained_run.ts';
import type { Plan } from '../../plan/plan.ts';
import { runtimeSettingsFromEnv } from '../runtime_settings.ts';
import { type CommandIO, seedOption } from './command.ts';
import { type BackendDefault, planBackend, usedBackend } from './used_backend.ts';

/** The options of TrainedRunArgs as a command declares them to parseCommandArgs. */
export const TRAINED_RUN_OPTIONS = {
  variant: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
} as const;

export interface TrainedRunArgs {
  readonly runDir: string;
  readonly variant?: string | undefined;
  readonly seed?: string | undefined;
  readonly backend?: string | undefined;
}

/** The plan of RUN_DIR that --variant and --seed choose, read without loading anything. */
export function chooseRun(args: TrainedRunArgs, io: CommandIO): ChosenPlan {
  const seed = seedOption(args.seed);
  return chooseTrainedPlan(resolve(io.cwd, args.runDir), {
    ...(args.variant === undefined ? {} : { variant: args.variant }),
    ...(seed === undefined ? {} : { seed }),
  });
}

/** The chosen plan with its trained state, on the backend --backend or the run chooses. */
export async function loadChosenRun(
  chosen: ChosenPlan,
  backendOption: string | undefined,
  io: CommandIO,
  command: string,
): Promise<TrainedRun> {
  const warn = (message: string) => io.stderr(`lpt ${command}: warning: ${message}`);
  // Set once per process; a process that already loaded images (a test) keeps its settings.
  if (!imageLoadingStarted()) configureImageLoading(imageLoadingFromEnv(process.env));
  const backend = await startBackend(backendOption, chosen.plan, chosen.runDir, warn);
  return loadTrainedRun(chosen, { backend: { name: backend.name, reason: backend.reason }, warn });
}

export async function openTrainedRun(args: TrainedRunArgs, io: CommandIO, command: string): Promise<TrainedRun> {
  return loadChosenRun(chooseRun(args, io), args.backend, io, command);
}

/**
 * --backend as given; else the run's own backend, or the plan's preference where the run recorded
 * none or its backend cannot be loaded here (a run trained on another machine).
 */
async function startBackend(
  option: string | undefined,
  plan: Plan,
  runDir: string,
  warn: (message: string) => void,
): Promise<BackendChoice> {
  const settings = runtimeSettingsFromEnv();
  const start = ({ preference, source }: BackendDefault) =>
    initBackend({
      preference,
      source,
      kernels: settings.speed,
      native: settings.native,
      dawnFlags: settings.dawnFlags,
    });
  if (option !== undefined) return start({ preference: option, source: '--backend' });
  const used = usedBackend(runDir, plan);
  if (used === undefined) return start(planBackend(plan));
  try {
    return await start(used);
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    const fallback = planBackend(plan);
    warn(
      `the run used backend ${used.preference}, which cannot be loaded here (${error.problem}); using ${fallback.source}'s, ${fallback.preference}`,
    );
    return start(fallback);
  }
}
