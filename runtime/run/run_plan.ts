/**
 * Running one plan (an experiment or one ablation variant): check that the runtime supports it,
 * load its data, build its experts and MoE scorer, train the phases in order (checkpointing after
 * every epoch and when asked to stop), evaluate, and return the shot-group result. A plan alone
 * determines the result: batches, augmentation, dropout and GCL noise are all keyed by (seed,
 * phase, epoch, step), so resuming from a checkpoint ends with the same numbers as an
 * uninterrupted run.
 */
import type { Plan, PlanEvaluation } from '../../plan/plan.ts';
import { buildEnsemble, disposeEnsemble, namesEachExpert, type Ensemble } from '../build/ensemble.ts';
import { describeBoundaries, shotCounts } from '../eval/shots.ts';
import { stamp } from '../events.ts';
import { resolveModelPaths } from '../model/kernels/paths.ts';
import { scorerVariables } from '../model/scorer.ts';
import { backboneParameterCount } from '../model/vit.ts';
import { DEFAULT_RUNTIME_SETTINGS } from '../settings.ts';
import { disposeResumeState, loadResumeState, resumeInPhase, restoreOptimizer } from '../store/resume.ts';
import { assertSupported } from './assert_supported.ts';
import { evaluatePlan, type SplitResult } from './plan_evaluation.ts';
import { checkpointPhasesDone, type PlanRun, type RunPlanOptions, startRun } from './plan_run.ts';
import { setUpPhase } from './phase_setup.ts';
import { planMicroBatches } from './micro_batch_choice.ts';
import { loadRunData } from './run_data.ts';
import { trainPhase } from './train_phase.ts';
import { prepareTextHeads } from '../build/text_head.ts';
import { withResumeHint } from './gpu_resume.ts';
import { takeGpuPeak } from '../backend/gpu_memory.ts';

export type { RunPlanOptions } from './plan_run.ts';
export type { SplitResult } from './plan_evaluation.ts';

/** `accuracy`, `boundaries` and `perClass` are the first evaluate block's; `evaluations` has every block's, in order. */
export interface VariantResult extends Omit<SplitResult, 'split'> {
  readonly variant: string;
  readonly planHash: string;
  readonly trainableParams: number;
  readonly backboneParams: number;
  readonly trainCounts: readonly number[];
  readonly evaluations: readonly SplitResult[];
  readonly seconds: number;
  /** On webgpu: the most GPU bytes allocated (live and pooled) at a step's end or the end. */
  readonly gpuPeakBytes?: number;
}

export async function runPlan(plan: Plan, options: RunPlanOptions): Promise<VariantResult | 'stopped'> {
  const started = Date.now();
  takeGpuPeak(); // this variant's peak starts here
  assertSupported(plan);
  const warn = (message: string) => options.emit(stamp({ type: 'warning', message }));
  // The preflight, before any data loads: every phase's micro-batch fits, or the plan is refused.
  planMicroBatches(plan, options.backend.name, options.settings ?? DEFAULT_RUNTIME_SETTINGS);
  const data = await loadRunData(plan);
  await prepareTextHeads(plan);
  const ensemble = buildEnsemble(plan, warn, resolveModelPaths((options.settings ?? DEFAULT_RUNTIME_SETTINGS).speed));
  const resume = loadResumeState(options.checkpointDir, plan.hash, warn);
  try {
    const run = await startRun(plan, options, data, ensemble, resume);
    announceRun(run);
    for (const phaseIndex of plan.phases.keys())
      if ((await trainPlanPhase(run, phaseIndex)) === 'stopped') return 'stopped';
    const evaluations: SplitResult[] = [];
    for (const e of plan.evaluation) evaluations.push(await evaluatePlan(run, plan.phases.at(-1)?.name ?? '', e));
    const { perClass, accuracy, boundaries } = evaluations[0]!;
    const gpuPeakBytes = takeGpuPeak();
    return {
      variant: options.variant,
      planHash: plan.hash,
      trainableParams: plan.budget.trainableParams,
      backboneParams: backboneParams(ensemble),
      accuracy,
      boundaries,
      trainCounts: run.trainCounts,
      perClass,
      evaluations,
      seconds: (Date.now() - started) / 1000,
      ...(gpuPeakBytes === null ? {} : { gpuPeakBytes }),
    };
  } catch (error) {
    throw withResumeHint(error, options.runDir, options.checkpointDir, plan.hash);
  } finally {
    disposeResumeState(resume);
    disposeEnsemble(ensemble);
  }
}

/**
 * Trains one phase unless it is done (resumed past or reused), then checkpoints, remembers it for
 * later plans and evaluates when the plan asks for evaluations during training.
 */
async function trainPlanPhase(run: PlanRun, phaseIndex: number): Promise<'trained' | 'done' | 'stopped'> {
  const { plan, options, progress, ensemble } = run;
  const phase = plan.phases[phaseIndex]!;
  if (run.finished.has(phase.name)) {
    progress.before += run.phaseSteps[phaseIndex]!;
    return 'done';
  }
  for (const m of phase.trainable) run.trained.add(m);
  const { runner, optimizer } = await setUpPhase(run, phase);
  const resumeHere = resumeInPhase(run.resume, phaseIndex);
  if (resumeHere !== null) restoreOptimizer(optimizer, resumeHere, ensemble.names);
  const evaluateWhen = async (due: (every: PlanEvaluation['every']) => boolean) => {
    for (const e of plan.evaluation) if (due(e.every)) await evaluatePlan(run, phase.name, e);
  };
  const stopped = await trainPhase({
    plan,
    phaseIndex,
    variant: options.variant,
    runner,
    optimizer,
    names: ensemble.names,
    finished: [...run.finished],
    resumeAt: resumeHere?.manifest ?? null,
    progress,
    checkpointDir: options.checkpointDir,
    keepCheckpoints: options.keepCheckpoints,
    emit: options.emit,
    ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
    ...(options.limit ? { maxSteps: options.limit.stepsPerPhase } : {}),
    afterEpoch: (epochs) =>
      evaluateWhen((every) => typeof every === 'number' && epochs % every === 0 && epochs < phase.epochs),
  });
  optimizer.dispose();
  if (stopped) return 'stopped';
  progress.before += run.phaseSteps[phaseIndex]!;
  run.finished.add(phase.name);
  await checkpointPhasesDone(run, phaseIndex + 1);
  await rememberPhasesDone(run, phaseIndex + 1);
  if (phaseIndex < plan.phases.length - 1) await evaluateWhen((every) => every !== 'end');
  return 'trained';
}

/** Keeps the first `count` phases' tensors for later plans; a scorer not trained yet is left out. */
async function rememberPhasesDone(run: PlanRun, count: number): Promise<void> {
  const { plan, ensemble } = run;
  const scorer = plan.modules.scorer;
  const scorerTrained = scorer !== null && plan.phases.slice(0, count).some((p) => p.trainable.includes(scorer.name));
  const untouched =
    ensemble.scorer === null || scorerTrained
      ? new Set<string>()
      : new Set(scorerVariables(ensemble.scorer).map((v) => ensemble.names.byVariable.get(v.name)!));
  await run.memo?.remember(plan, count, run.options.variant, ensemble.names, untouched);
}

function backboneParams(ensemble: Ensemble): number {
  return [...ensemble.backbones.values()].reduce((n, b) => n + backboneParameterCount(b), 0);
}

/** The run_start event: what runs, on what data, and where training starts. */
function announceRun(run: PlanRun): void {
  const { plan, options, ensemble, resume, reused } = run;
  // The first evaluate block gives the headline result, and so the shot groups announced.
  const evaluation = plan.evaluation[0]!;
  options.emit(
    stamp({
      type: 'run_start',
      experiment: plan.experiment,
      variant: options.variant,
      backend: options.backend.name,
      backendReason: options.backend.reason,
      planHash: plan.hash,
      runDir: options.runDir,
      trainableParams: plan.budget.trainableParams,
      backboneParams: backboneParams(ensemble),
      shots: { ...shotCounts(run.trainCounts, evaluation.shots), boundaries: describeBoundaries(evaluation.shots) },
      trainImages: run.data.train.dataset.labels.length,
      testImages: run.data.test.dataset.labels.length,
      phases: plan.phases.map((p) => p.name),
      microBatches: run.microBatches,
      ...(resume ? { resumedFrom: resume.manifest.file } : {}),
      ...(reused
        ? { reused: { phases: plan.phases.slice(0, reused.count).map((p) => p.name), from: reused.from } }
        : {}),
      ...(namesEachExpert(ensemble)
        ? {
            experts: ensemble.experts.map((e) => e.plan.name),
            model: evaluation.model,
            ...(plan.modules.scorer ? { scorer: plan.modules.scorer.name } : {}),
          }
        : {}),
    }),
  );
}
