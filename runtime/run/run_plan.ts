/**
 * Running one plan (an experiment or one ablation variant): load the data, build the experts
 * and the MoE scorer (ensemble.ts),
 * train the phases in order, checkpoint after every epoch (and when asked to stop), evaluate,
 * and return the shot-group result. A plan alone determines the result: batches, augmentation,
 * dropout and GCL noise are all keyed by (seed, phase, epoch, step), so resuming from a
 * checkpoint ends with the same numbers as an uninterrupted run.
 */
import type { Plan, PlanPhase } from '../../plan/plan.ts';
import type { EventSink } from '../events.ts';
import { stamp } from '../events.ts';
import { describeBoundaries, shotAccuracy, shotCounts, type PerClassResult } from '../eval/shots.ts';
import { trainableVariables, type LptModel, type ModuleName } from '../model/lpt_model.ts';
import { scorerVariables } from '../model/scorer.ts';
import { backboneParameterCount } from '../model/vit.ts';
import { writeCheckpoint } from './checkpoint.ts';
import { prepareSplit, type PreparedSplit } from './data.ts';
import { buildEnsemble, type BuiltExpert, disposeEnsemble, type Ensemble, expertByName } from './ensemble.ts';
import { type EvalTarget, evaluateSplit } from './evaluate.ts';
import { activeView, PlanNotSupportedError, slotsOf } from './model.ts';
import { createCalibrator } from './calibrate.ts';
import { createScorerPhaseRunner } from './scorer_phase.ts';
import { createOptimizer, createPhaseRunner } from './phase.ts';
import { disposeResumeState, loadResumeState, restoreModulesFrom, restoreOptimizer, resumeInPhase } from './resume.ts';
import { planMicroBatches } from './micro_batch_choice.ts';
import { trainPhase } from './train_phase.ts';
import { deterministicTransforms, phaseStreams, stepsPerEpoch } from './streams.ts';
import { resolveModelPaths } from '../model/kernels/paths.ts';
import { COMPUTE_QUERIES, type QuerySource } from '../model/query.ts';
import { DEFAULT_RUNTIME_SETTINGS, type RuntimeSettings } from '../settings.ts';
import { QueryCache } from '../model/query_cache.ts';
import type { PhaseMemo, ReusedPhases } from './phase_memo.ts';
import type { StopCheck } from './stop_check.ts';

export interface VariantResult {
  readonly variant: string;
  readonly planHash: string;
  readonly trainableParams: number;
  readonly backboneParams: number;
  readonly accuracy: { overall: number; many: number; medium: number; few: number };
  readonly boundaries: string;
  readonly trainCounts: readonly number[];
  readonly perClass: PerClassResult;
  readonly seconds: number;
}

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
  /** Phases already trained by earlier plans of the run (phase_memo.ts); none when absent. */
  readonly memo?: PhaseMemo;
}

/** The one evaluation a plan has, and what it evaluates: an expert or the scorer's mixture. */
function planEvaluation(plan: Plan) {
  const [evaluation, ...more] = plan.evaluation;
  if (evaluation === undefined) throw new PlanNotSupportedError('the plan evaluates nothing');
  if (more.length > 0)
    throw new PlanNotSupportedError(
      `the runtime evaluates one split per plan; this plan lists ${plan.evaluation.length}`,
    );
  const known = [
    ...plan.modules.experts.map((e) => e.name),
    ...(plan.modules.scorer ? [plan.modules.scorer.name] : []),
  ];
  if (!known.includes(evaluation.model))
    throw new PlanNotSupportedError(
      `evaluation of '${evaluation.model}': the plan has no expert or scorer of that name`,
    );
  return evaluation;
}

export async function runPlan(plan: Plan, options: RunPlanOptions): Promise<VariantResult | 'stopped'> {
  const started = Date.now();
  const { emit, variant } = options;
  const warn = (message: string) => emit(stamp({ type: 'warning', message }));
  const evaluation = planEvaluation(plan);

  const settings = options.settings ?? DEFAULT_RUNTIME_SETTINGS;
  // Before any data loads: each phase's micro-batch, or a refusal when a phase cannot fit.
  const microBatches = planMicroBatches(plan, options.backend.name, settings);
  const split = (name: string) => {
    const s = plan.data.splits.find((x) => x.name === name);
    if (s === undefined) throw new PlanNotSupportedError(`the plan has no split '${name}'`);
    return s;
  };
  const train = await prepareSplit(split('train'));
  const test: PreparedSplit = await prepareSplit(split(evaluation.split));
  // A phase with `split NAME` trains on that split (e.g. the scorer on images held out of train).
  const phaseData = new Map<string, PreparedSplit>([['train', train]]);
  for (const p of plan.phases)
    if (p.split !== undefined && !phaseData.has(p.split)) phaseData.set(p.split, await prepareSplit(split(p.split)));
  const dataOf = (p: PlanPhase) => phaseData.get(p.split ?? 'train')!;
  const calibrationSplit = plan.modules.scorer?.calibration?.split;
  if (calibrationSplit !== undefined && !phaseData.has(calibrationSplit))
    phaseData.set(calibrationSplit, await prepareSplit(split(calibrationSplit)));
  const calibrator = createCalibrator(
    plan.modules.scorer,
    calibrationSplit === undefined ? null : phaseData.get(calibrationSplit)!,
    plan.classes,
  );
  const trainCounts = [...train.counts];
  const groups = shotCounts(trainCounts, evaluation.shots);
  const boundaries = describeBoundaries(evaluation.shots);

  const ensemble = buildEnsemble(plan, warn, resolveModelPaths(settings.speed));
  const names = ensemble.names;
  const backboneParams = [...ensemble.backbones.values()].reduce((n, b) => n + backboneParameterCount(b), 0);
  const lptpp = ensemble.experts.length > 1 || ensemble.scorer !== null;
  const resume = loadResumeState(options.checkpointDir, plan.hash, warn);
  const memo = evaluation.every === 'end' ? options.memo : undefined; // reused phases would skip their evaluations
  const scorerNames = new Set(
    ensemble.scorer === null ? [] : scorerVariables(ensemble.scorer).map((v) => names.byVariable.get(v.name)!),
  );
  try {
    if (resume !== null) restoreModulesFrom(resume, names);
    const reused: ReusedPhases | null = resume === null && memo !== undefined ? memo.restoreLongest(plan, names) : null;
    const trainableParams = plan.budget.trainableParams;
    emit(
      stamp({
        type: 'run_start',
        experiment: plan.experiment,
        variant,
        backend: options.backend.name,
        backendReason: options.backend.reason,
        planHash: plan.hash,
        runDir: options.runDir,
        trainableParams,
        backboneParams,
        shots: { ...groups, boundaries },
        trainImages: train.dataset.labels.length,
        testImages: test.dataset.labels.length,
        phases: plan.phases.map((p) => p.name),
        microBatches,
        ...(resume ? { resumedFrom: resume.manifest.file } : {}),
        ...(reused
          ? { reused: { phases: plan.phases.slice(0, reused.count).map((p) => p.name), from: reused.from } }
          : {}),
        ...(lptpp
          ? {
              experts: ensemble.experts.map((e) => e.plan.name),
              model: evaluation.model,
              ...(plan.modules.scorer ? { scorer: plan.modules.scorer.name } : {}),
            }
          : {}),
      }),
    );

    const phaseSteps = plan.phases.map((p) => p.epochs * stepsPerEpoch(phaseStreams(p, dataOf(p), plan.seed)));
    const progress = { before: 0, total: phaseSteps.reduce((a, b) => a + b, 0) };
    const finished = new Set<string>(
      resume?.manifest.finished ?? plan.phases.slice(0, reused?.count ?? 0).map((p) => p.name),
    );
    if (reused !== null) {
      const last = plan.phases[reused.count - 1]!;
      await writeCheckpoint(
        options.checkpointDir,
        plan.hash,
        { phaseIndex: reused.count, phase: last.name, epoch: last.epochs, step: 0, finished: [...finished] },
        names.tensors,
        null,
        options.keepCheckpoints,
      );
    }
    const trained = new Set<string>(plan.phases.filter((p) => finished.has(p.name)).flatMap((p) => p.trainable));
    const view = (e: BuiltExpert) => activeView(e.model, e.slots, trained);
    // Evaluation during training (every phase, or every N epochs) is reported as events; the
    // result of the variant is the evaluation at the end.
    const evaluate = async (phase: string) => {
      const target = await evaluationTarget(plan, ensemble, evaluation.model, view, (experts) =>
        calibrator(experts, [...trained].sort().join()),
      );
      const perClass = await evaluateSplit(target, test);
      const accuracy = shotAccuracy(perClass, trainCounts, evaluation.shots);
      const temperatures =
        'temperatures' in target && target.temperatures !== undefined
          ? Object.fromEntries(plan.modules.scorer!.experts.map((name, e) => [name, target.temperatures![e]!]))
          : undefined;
      emit(
        stamp({
          type: 'evaluation',
          variant,
          phase,
          split: evaluation.split,
          accuracy,
          boundaries,
          ...(lptpp ? { model: evaluation.model } : {}),
          ...(temperatures ? { temperatures } : {}),
        }),
      );
      return { perClass, accuracy };
    };
    const every = evaluation.every;
    for (const [phaseIndex, phase] of plan.phases.entries()) {
      if (finished.has(phase.name)) {
        progress.before += phaseSteps[phaseIndex]!;
        continue;
      }
      for (const m of phase.trainable) trained.add(m);
      const { runner, optimizer } = await phaseRunner(
        plan,
        phase,
        ensemble,
        view,
        dataOf(phase),
        settings,
        (experts) => calibrator(experts, [...trained].sort().join()),
        microBatches[phaseIndex]!.microBatch,
      );
      const resumeHere = resumeInPhase(resume, phaseIndex);
      if (resumeHere !== null) restoreOptimizer(optimizer, resumeHere, names);
      const stopped = await trainPhase({
        plan,
        phaseIndex,
        variant,
        runner,
        optimizer,
        names,
        finished: [...finished],
        resumeAt: resumeHere?.manifest ?? null,
        progress,
        checkpointDir: options.checkpointDir,
        keepCheckpoints: options.keepCheckpoints,
        emit,
        ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
        afterEpoch: async (epochs) => {
          if (typeof every === 'number' && epochs % every === 0 && epochs < phase.epochs) await evaluate(phase.name);
        },
      });
      optimizer.dispose();
      if (stopped) return 'stopped';
      progress.before += phaseSteps[phaseIndex]!;
      finished.add(phase.name);
      await writeCheckpoint(
        options.checkpointDir,
        plan.hash,
        { phaseIndex: phaseIndex + 1, phase: phase.name, epoch: phase.epochs, step: 0, finished: [...finished] },
        names.tensors,
        null,
        options.keepCheckpoints,
      );
      const scorerTrained = plan.phases
        .slice(0, phaseIndex + 1)
        .some((p) => p.trainable.includes(plan.modules.scorer?.name ?? ''));
      await memo?.remember(plan, phaseIndex + 1, variant, names, scorerTrained ? new Set() : scorerNames);
      if (every !== 'end' && phaseIndex < plan.phases.length - 1) await evaluate(phase.name);
    }

    const { perClass, accuracy } = await evaluate(plan.phases.at(-1)?.name ?? '');
    return {
      variant,
      planHash: plan.hash,
      trainableParams,
      backboneParams,
      accuracy,
      boundaries,
      trainCounts,
      perClass,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    disposeResumeState(resume);
    disposeEnsemble(ensemble);
  }
}

type Temperatures = (experts: readonly LptModel[]) => Promise<readonly number[] | undefined>;

/** An expert's active view, or the scorer over its experts' views, calibrated if the plan says so (an untrained scorer is the equal average). */
async function evaluationTarget(
  plan: Plan,
  ensemble: Ensemble,
  model: string,
  view: (e: BuiltExpert) => LptModel,
  temperaturesOf: Temperatures,
): Promise<EvalTarget> {
  const scorer = plan.modules.scorer;
  if (scorer !== null && scorer.name === model) {
    const experts = scorer.experts.map((name) => view(expertByName(ensemble, name)!));
    const temperatures = await temperaturesOf(experts);
    return { experts, scorer: ensemble.scorer!, ...(temperatures ? { temperatures } : {}) };
  }
  return view(expertByName(ensemble, model)!);
}

/** The phase's runner and optimiser: the scorer's phase, or a phase training expert modules. */
async function phaseRunner(
  plan: Plan,
  phase: PlanPhase,
  ensemble: Ensemble,
  view: (e: BuiltExpert) => LptModel,
  train: PreparedSplit,
  settings: RuntimeSettings,
  temperaturesOf: Temperatures,
  microBatch: number,
) {
  const scorerPlan = plan.modules.scorer;
  const trainsScorer = scorerPlan !== null && phase.trainable.includes(scorerPlan.name);
  if (trainsScorer) {
    if (phase.trainable.length > 1)
      throw new PlanNotSupportedError(
        `phase '${phase.name}' trains the scorer with other modules; the runtime trains the scorer in a phase of its own`,
      );
    const scorer = ensemble.scorer!;
    const trainable = scorerVariables(scorer);
    const optimizer = createOptimizer(phase, trainable);
    const experts = scorerPlan.experts.map((name) => view(expertByName(ensemble, name)!));
    const cache = phase.frozenExperts?.outputs === 'cache';
    const temperatures = await temperaturesOf(experts);
    return {
      optimizer,
      runner: createScorerPhaseRunner({
        plan,
        phase,
        experts,
        scorer,
        trainable,
        optimizer,
        train,
        cache,
        ...(temperatures ? { temperatures } : {}),
      }),
    };
  }
  const named = ensemble.experts.length > 1 || ensemble.scorer !== null;
  const members = ensemble.experts.flatMap((e) => {
    const modules = phase.trainable.flatMap((m) => slotsOf(e.slots, m));
    if (modules.length === 0) return [];
    const model = view(e);
    return [
      {
        name: named ? e.plan.name : null,
        model,
        modules,
        queries: settings.queryCache ? queriesFor(model, modules, train) : COMPUTE_QUERIES,
      },
    ];
  });
  const trainable = members.flatMap((m) => trainableVariables(m.model, m.modules));
  const optimizer = createOptimizer(phase, trainable);
  return {
    optimizer,
    runner: createPhaseRunner({ plan, phase, experts: members, trainable, optimizer, train, microBatch }),
  };
}

/**
 * Phase 2's query pass is a fixed function of the image while the shared prompt and adapters are
 * frozen and the training images are not randomly augmented: then each image's query is computed
 * once per phase instead of once per step (docs/PERFORMANCE.md).
 */
function queriesFor(view: LptModel, trained: readonly ModuleName[], train: PreparedSplit): QuerySource {
  if (
    view.pool === null ||
    trained.includes('shared') ||
    trained.includes('adapters') ||
    !deterministicTransforms(train)
  )
    return COMPUTE_QUERIES;
  return { kind: 'cache', cache: new QueryCache(train.dataset.labels.length, view.backbone.config.dim) };
}
