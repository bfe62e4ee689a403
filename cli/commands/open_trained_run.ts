/**
 * What `lpt predict` and `lpt evaluate` share: the backend (--backend, else the best available,
 * as `lpt run --backend auto` picks it), the --seed option, and the chosen plan of RUN_DIR loaded
 * with its trained state.
 */
import { resolve } from 'node:path';
import { initBackend } from '../../runtime/backend/init.ts';
import { imageLoadingFromEnv } from '../../runtime/data/pipeline/image_loading_env.ts';
import { configureImageLoading, imageLoadingStarted } from '../../runtime/data/pipeline/loader.ts';
import { loadTrainedRun, type TrainedRun } from '../../runtime/use/trained_run.ts';
import { runtimeSettingsFromEnv } from '../runtime_settings.ts';
import { type CommandIO, seedOption } from './command.ts';

export interface TrainedRunArgs {
  readonly runDir: string;
  readonly variant?: string | undefined;
  readonly seed?: string | undefined;
  readonly backend?: string | undefined;
}

export async function openTrainedRun(args: TrainedRunArgs, io: CommandIO, command: string): Promise<TrainedRun> {
  const seed = seedOption(args.seed);
  const settings = runtimeSettingsFromEnv();
  // Set once per process; a process that already loaded images (a test) keeps its settings.
  if (!imageLoadingStarted()) configureImageLoading(imageLoadingFromEnv(process.env));
  const backend = await initBackend({
    preference: args.backend ?? 'auto',
    source: args.backend ? '--backend' : 'default',
    kernels: settings.speed,
    native: settings.native,
    dawnFlags: settings.dawnFlags,
  });
  return loadTrainedRun({
    runDir: resolve(io.cwd, args.runDir),
    ...(args.variant === undefined ? {} : { variant: args.variant }),
    ...(seed === undefined ? {} : { seed }),
    backend: { name: backend.name, reason: backend.reason },
    warn: (message) => io.stderr(`lpt ${command}: warning: ${message}`),
  });
}
