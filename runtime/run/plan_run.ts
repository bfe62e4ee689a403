/**
 * One plan's run while it trains: the plan, its data and models, where training starts (from
 * scratch, from the plan's own checkpoint, or after the first phases an earlier plan of the run
 * trained identically) and what is done so far. runPlan starts it once; the phase loop and the
 * evaluations read and advance it.
 */
import type { Plan } from '../../plan/plan.ts';
import { type BuiltExpert, type Ensemble } from '../build/ensemble.ts';
import { activeView } from '../build/experts.ts';
import { phaseStreams, stepsPerEpoch } from '../build/streams.ts';
import type { EventSink } from '../events.ts';
import type { LptModel } from '../model/lpt_model.ts';
import { DEFAULT_RUNTIME_SETTINGS, type RuntimeSettings } from '../settings.ts';
import { type MicroBatchChoice, planMicroBatches } from './micro_batch_choice.ts';
import { writeCheckpoint } from '../store/checkpoint.ts';
import type { PhaseMemo, ReusedPhases } from '../store/phase_memo.ts';
import { restoreModulesFrom, type ResumeState } from '../store/resume.ts';
import { createCalibrator, type Calibrator } from './calibrate.ts';
import type { RunData } from './run_data.ts';
import { limitedSteps, type RunLimit } from './run_limit.ts';
import type { StopCheck } from './stop_check.ts';

export interface RunPlanOptions {
  readonly variant: string;
  readonly checkpointDir: string;
  readonly emit: EventSink;
  readonly backend: { readonly name: string; readonly reason: string };
  readonly runDir: string;
  /** Polled after every step: true finishes the step, writes a checkpoint and returns 'stopped'. */
  readonly shouldStop?: StopCheck;
  /** Runtime choices that never change a result: speed levers and the query cache (docs/PERFORMANCE.md). */
  readonly settings?: RuntimeSettings;
  /** Checkpoints kept per phase (default 2). */
  readonly keepCheckpoints?: number;
  /** Phases already trained by earlier plans of the run (runtime/store/phase_memo.ts); none when absent. */
  readonly memo?: PhaseMemo;
  /** A shortened run (`lpt run --smoke`, run_limit.ts); the whole plan when absent. */
  readonly limit?: RunLimit;
}

export interface PlanRun {
  readonly plan: Plan;
  readonly options: RunPlanOptions;
  readonly settings: RuntimeSettings;
  /** Per phase, the images per stream of one pass of its step, and why (micro_batch_choice.ts). */
  readonly microBatches: readonly MicroBatchChoice[];
  readonly data: RunData;
  /** Training images per class: they define the shot groups. */
  readonly trainCounts: readonly number[];
  readonly ensemble: Ensemble;
  /** The checkpoint the run resumes from; null on a fresh start. */
  readonly resume: ResumeState | null;
  /** The first phases taken from an earlier plan of the run; null when none. */
  readonly reused: ReusedPhases | null;
  /** Remembers finished phases for later plans; absent when evaluations during training rule reuse out. */
  readonly memo: PhaseMemo | undefined;
  /** Phases done: trained, resumed past, or reused. */
  readonly finished: Set<string>;
  /** Plan modules trained so far or now: they take part in the forward pass (activeView). */
  readonly trained: Set<string>;
  /** Training steps of each phase, and of the phases done so far. */
  readonly phaseSteps: readonly number[];
  readonly progress: { before: number; readonly total: number };
  readonly calibrator: Calibrator;
}

/** Restores the resumed or reused tensors into the ensemble and says where training starts. */
export async function startRun(
  plan: Plan,
  options: RunPlanOptions,
  data: RunData,
  ensemble: Ensemble,
  resume: ResumeState | null,
): Promise<PlanRun> {
  if (resume !== null) restoreModulesFrom(resume, ensemble.names);
  // Reused phases would skip the evaluations during them.
  const memo = plan.evaluation.every((e) => e.every === 'end') ? options.memo : undefined;
  const reused = resume === null && memo !== undefined ? memo.restoreLongest(plan, ensemble.names) : null;
  const finished = new Set(resume?.manifest.finished ?? plan.phases.slice(0, reused?.count ?? 0).map((p) => p.name));
  const phaseSteps = plan.phases.map((p) =>
    limitedSteps(p.epochs * stepsPerEpoch(phaseStreams(p, data.of(p), plan.seed)), options.limit),
  );
  const run: PlanRun = {
    plan,
    options,
    settings: options.settings ?? DEFAULT_RUNTIME_SETTINGS,
    microBatches: planMicroBatches(plan, options.backend.name, options.settings ?? DEFAULT_RUNTIME_SETTINGS),
    data,
    trainCounts: [...data.train.counts],
    ensemble,
    resume,
    reused,
    memo,
    finished,
    trained: new Set(plan.phases.filter((p) => finished.has(p.name)).flatMap((p) => p.trainable)),
    phaseSteps,
    progress: { before: 0, total: phaseSteps.reduce((a, b) => a + b, 0) },
    calibrator: createCalibrator(plan.modules.scorer, data.calibration, plan.classes),
  };
  if (reused !== null) await checkpointPhasesDone(run, reused.count);
  return run;
}

/** A checkpoint at the end of the first `count` phases: a resumed run starts the next phase. */
export async function checkpointPhasesDone(run: PlanRun, count: number): Promise<void> {
  const last = run.plan.phases[count - 1]!;
  await writeCheckpoint(
    run.options.checkpointDir,
    run.plan.hash,
    { phaseIndex: count, phase: last.name, epoch: last.epochs, step: 0, finished: [...run.finished] },
    run.ensemble.names.tensors,
    null,
    run.options.keepCheckpoints,
  );
}

/** An expert as the current phase sees it: only the modules trained so far take part. */
export function expertView(run: PlanRun, expert: BuiltExpert): LptModel {
  return activeView(expert.model, expert.slots, run.trained);
}

/** The experts' calibration temperatures, fitted again only when the trained modules change. */
export function temperaturesOf(run: PlanRun, experts: readonly LptModel[]): Promise<readonly number[] | undefined> {
  return run.calibrator(experts, [...run.trained].sort().join());
}
