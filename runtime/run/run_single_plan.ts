/**
 * One plan, run alone in a process of its own: the queue worker's job process
 * (runtime/queue/job_process.ts) and a Slurm array task (runtime/slurm/task.ts) both start the
 * backend, say which data pipeline runs, train the plan into its checkpoint folder (resuming from
 * a checkpoint that is there) and hand back the variant's results as results.json text.
 */
import type { Plan } from '../../plan/plan.ts';
import { serializeRunResults } from '../../plan/results.ts';
import { initBackend } from '../backend/init.ts';
import { configureImageLoading, type ImageLoading } from '../data/pipeline/loader.ts';
import type { RunEvent } from '../events.ts';
import type { RuntimeSettings } from '../settings.ts';
import { variantName, variantResults } from '../store/run_directory.ts';
import { reportDataPipeline } from './run_experiment.ts';
import { runPlan } from './run_plan.ts';
import type { StopCheck } from './stop_check.ts';

export interface SinglePlanRun {
  readonly plan: Plan;
  readonly checkpointDir: string;
  readonly runDir: string;
  readonly keepCheckpoints?: number;
  /** A backend preference (auto, wasm, node-gpu, ...). */
  readonly backend: string;
  readonly settings: RuntimeSettings;
  readonly imageLoading: ImageLoading;
}

export type SinglePlanOutcome =
  | { readonly kind: 'done'; readonly results: string; readonly seconds: number; readonly overall: number }
  | { readonly kind: 'stopped' };

export async function runSinglePlan(
  m: SinglePlanRun,
  emit: (event: RunEvent & { readonly time: number }) => void,
  shouldStop: StopCheck,
): Promise<SinglePlanOutcome> {
  configureImageLoading(m.imageLoading);
  const backend = await initBackend({
    preference: m.backend,
    source: m.backend === 'auto' ? 'default' : '--backend',
    kernels: m.settings.speed,
    native: m.settings.native,
    dawnFlags: m.settings.dawnFlags,
  });
  await reportDataPipeline([m.plan], emit); // this machine's decoder and image workers
  const outcome = await runPlan(m.plan, {
    variant: variantName(m.plan),
    checkpointDir: m.checkpointDir,
    emit,
    backend: { name: backend.name, reason: backend.reason },
    runDir: m.runDir,
    shouldStop,
    settings: m.settings,
    ...(m.keepCheckpoints !== undefined ? { keepCheckpoints: m.keepCheckpoints } : {}),
  });
  if (outcome === 'stopped') return { kind: 'stopped' };
  const results = serializeRunResults({
    experiment: m.plan.experiment,
    boundaries: outcome.boundaries,
    variants: variantResults(outcome, m.plan),
  });
  return { kind: 'done', results, seconds: outcome.seconds, overall: outcome.accuracy.overall };
}
