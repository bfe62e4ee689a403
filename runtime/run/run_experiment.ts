/**
 * Running every plan of an experiment file into one run directory: variants in order, results
 * written after each, and a fresh start or a resume from the directory's own plans and
 * checkpoints. Emits run events; a stop request ends after the current step with a checkpoint.
 */
import { stamp, type EventSink } from '../events.ts';
import type { Plan } from '../../plan/plan.ts';
import {
  checkpointDir,
  createRunDirectory,
  openRunDirectory,
  variantName,
  variantResults,
  writeResults,
  type RunIndex,
} from '../store/run_directory.ts';
import type { VariantResults } from '../../plan/results.ts';
import { runPlan } from './run_plan.ts';
import { PhaseMemo } from '../store/phase_memo.ts';
import { defaultLoader } from '../data/pipeline/loader.ts';
import type { RuntimeSettings } from '../settings.ts';
import type { RunLimit } from './run_limit.ts';
import type { StopCheck } from './stop_check.ts';

export interface RunExperimentOptions {
  readonly runDir: string;
  readonly emit: EventSink;
  readonly backend: { readonly name: string; readonly reason: string };
  readonly shouldStop?: StopCheck;
  /** Checkpoints kept per phase (default: the run directory's choice, else 2). */
  readonly keepCheckpoints?: number;
  readonly settings?: RuntimeSettings;
  /** A shortened run (`lpt run --smoke`, run_limit.ts); every plan whole when absent. */
  readonly limit?: RunLimit;
  /** The stand-ins of `lpt run --smoke --synthetic` (runtime/synthetic/), recorded in results.json. */
  readonly synthetic?: readonly string[];
}

export interface ExperimentOutcome {
  readonly stopped: boolean;
  readonly results: readonly VariantResults[];
}

export async function runExperiment(plans: readonly Plan[], options: RunExperimentOptions): Promise<ExperimentOutcome> {
  return runPlans(createRunDirectory(options.runDir, plans, options.keepCheckpoints), plans, [], options);
}

export async function resumeExperiment(options: RunExperimentOptions): Promise<ExperimentOutcome> {
  const { index, plans, results } = openRunDirectory(options.runDir, true);
  return runPlans(index, plans, results, options);
}

/** Says which decoder and how many image workers the run uses, when any plan reads image files. */
export async function reportDataPipeline(plans: readonly Plan[], emit: EventSink): Promise<void> {
  const readsFiles = plans.some((p) =>
    p.data.splits.some((s) => s.source.kind === 'image_folder' || s.source.kind === 'split_list'),
  );
  if (!readsFiles) return;
  const loader = await defaultLoader();
  emit(
    stamp({
      type: 'data_pipeline',
      decoder: loader.decoder.label,
      decoderReason: loader.decoder.reason,
      workers: loader.workers,
    }),
  );
}

async function runPlans(
  index: RunIndex,
  plans: readonly Plan[],
  done: readonly VariantResults[],
  options: RunExperimentOptions,
): Promise<ExperimentOutcome> {
  const started = Date.now();
  await reportDataPipeline(plans, options.emit);
  const results = [...done];
  let stopped = false;
  const keepCheckpoints = options.keepCheckpoints ?? index.keepCheckpoints;
  const memo = new PhaseMemo();
  for (const plan of plans) {
    if (results.some((r) => r.planHash === plan.hash)) continue;
    if ((await options.shouldStop?.()) === true) {
      stopped = true; // asked to stop between variants: the next one starts on resume
      break;
    }
    const outcome = await runPlan(plan, {
      variant: variantName(plan),
      checkpointDir: checkpointDir(options.runDir, plan),
      emit: options.emit,
      backend: options.backend,
      runDir: options.runDir,
      memo,
      ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
      ...(options.settings ? { settings: options.settings } : {}),
      ...(options.limit ? { limit: options.limit } : {}),
      ...(keepCheckpoints !== undefined ? { keepCheckpoints } : {}),
    });
    if (outcome === 'stopped') {
      stopped = true;
      break;
    }
    results.push(...variantResults(outcome, plan));
    writeResults(options.runDir, index, outcome.boundaries, results, options.synthetic);
  }
  options.emit(stamp({ type: 'run_end', runDir: options.runDir, seconds: (Date.now() - started) / 1000, stopped }));
  return { stopped, results };
}
