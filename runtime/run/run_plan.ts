/**
 * Running one plan (an experiment or one ablation variant): load the data, build the expert,
 * train the phases in order, checkpoint after every epoch (and when asked to stop), evaluate,
 * and return the shot-group result. A plan alone determines the result: batches, augmentation,
 * dropout and GCL noise are all keyed by (seed, phase, epoch, step), so resuming from a
 * checkpoint ends with the same numbers as an uninterrupted run.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan } from '../../plan/plan.ts';
import type { EventSink } from '../events.ts';
import { stamp } from '../events.ts';
import { describeBoundaries, shotAccuracy, shotCounts, type PerClassResult } from '../eval/shots.ts';
import { disposeLptModel, trainableVariables, type LptModel, type ModuleName } from '../model/lpt_model.ts';
import { backboneParameterCount } from '../model/vit.ts';
import { stableNames, writeCheckpoint } from './checkpoint.ts';
import { prepareSplit, type PreparedSplit } from './data.ts';
import { evaluateSplit } from './evaluate.ts';
import { activeView, buildBackbone, buildExpert, expertSlots, PlanNotSupportedError, slotsOf } from './model.ts';
import { createOptimizer, createPhaseRunner } from './phase.ts';
import { disposeResumeState, loadResumeState, restoreModulesFrom, restoreOptimizer, resumeInPhase } from './resume.ts';
import { trainPhase } from './train_phase.ts';
import { deterministicTransforms, phaseStreams, stepsPerEpoch } from './streams.ts';
import { resolveModelPaths } from '../model/kernels/paths.ts';
import { COMPUTE_QUERIES, type QuerySource } from '../model/query.ts';
import { DEFAULT_RUNTIME_SETTINGS, type RuntimeSettings } from '../settings.ts';
import { QueryCache } from '../model/query_cache.ts';

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
  readonly shouldStop?: () => boolean;
  /** Runtime choices that never change a result: speed levers and the query cache (docs/PERFORMANCE.md). */
  readonly settings?: RuntimeSettings;
}

function singleExpert(plan: Plan) {
  if (plan.modules.scorer !== null) throw new PlanNotSupportedError(`the MoE scorer '${plan.modules.scorer.name}' is not supported by the runtime yet`);
  const [expert, ...more] = plan.modules.experts;
  if (expert === undefined || more.length > 0) throw new PlanNotSupportedError(`the runtime runs plans with exactly one expert (this plan has ${plan.modules.experts.length})`);
  const backbone = plan.backbones.find((b) => b.name === expert.backbone);
  if (backbone === undefined) throw new PlanNotSupportedError(`expert '${expert.name}' names a backbone the plan lacks`);
  return { expert, backbone };
}

export async function runPlan(plan: Plan, options: RunPlanOptions): Promise<VariantResult | 'stopped'> {
  const started = Date.now();
  const { emit, variant } = options;
  const warn = (message: string) => emit(stamp({ type: 'warning', message }));
  const { expert, backbone: planBackbone } = singleExpert(plan);
  const [evaluation, ...moreEvaluations] = plan.evaluation;
  if (evaluation === undefined) throw new PlanNotSupportedError('the plan evaluates nothing');
  if (moreEvaluations.length > 0) throw new PlanNotSupportedError(`the runtime evaluates one split per plan; this plan lists ${plan.evaluation.length}`);
  if (evaluation.model !== expert.name) throw new PlanNotSupportedError(`evaluation of '${evaluation.model}': the runtime evaluates the plan's expert '${expert.name}'`);

  const split = (name: string) => {
    const s = plan.data.splits.find((x) => x.name === name);
    if (s === undefined) throw new PlanNotSupportedError(`the plan has no split '${name}'`);
    return s;
  };
  const train = await prepareSplit(split('train'));
  const test: PreparedSplit = await prepareSplit(split(evaluation.split));
  const trainCounts = [...train.counts];
  const groups = shotCounts(trainCounts, evaluation.shots);
  const boundaries = describeBoundaries(evaluation.shots);

  const settings = options.settings ?? DEFAULT_RUNTIME_SETTINGS;
  const backbone = buildBackbone(planBackbone, plan.seed, warn, resolveModelPaths(settings.speed));
  const model = buildExpert(plan, expert, backbone, plan.seed);
  const slots = expertSlots(plan, expert);
  const names = stableNames(model);
  const resume = loadResumeState(options.checkpointDir, plan.hash);
  try {
    if (resume !== null) restoreModulesFrom(resume, names);
    const trainableParams = plan.budget.trainableParams;
    emit(stamp({
      type: 'run_start', experiment: plan.experiment, variant, backend: options.backend.name, backendReason: options.backend.reason,
      planHash: plan.hash, runDir: options.runDir, trainableParams, backboneParams: backboneParameterCount(backbone),
      shots: { ...groups, boundaries }, trainImages: train.dataset.labels.length, testImages: test.dataset.labels.length,
      phases: plan.phases.map((p) => p.name), ...(resume ? { resumedFrom: resume.manifest.file } : {}),
    }));

    const phaseSteps = plan.phases.map((p) => p.epochs * stepsPerEpoch(phaseStreams(p, train, plan.seed)));
    const progress = { before: 0, total: phaseSteps.reduce((a, b) => a + b, 0) };
    const finished = new Set<string>(resume?.manifest.finished ?? []);
    const trained = new Set<string>(plan.phases.filter((p) => finished.has(p.name)).flatMap((p) => p.trainable));
    // Evaluation during training (every phase, or every N epochs) is reported as events; the
    // result of the variant is the evaluation at the end.
    const evaluate = async (phase: string) => {
      const perClass = await evaluateSplit(activeView(model, slots, trained), test);
      const accuracy = shotAccuracy(perClass, trainCounts, evaluation.shots);
      emit(stamp({ type: 'evaluation', variant, phase, split: evaluation.split, accuracy, boundaries }));
      return { perClass, accuracy };
    };
    const every = evaluation.every;
    for (const [phaseIndex, phase] of plan.phases.entries()) {
      if (finished.has(phase.name)) {
        progress.before += phaseSteps[phaseIndex]!;
        continue;
      }
      for (const m of phase.trainable) trained.add(m);
      const view = activeView(model, slots, trained);
      const modules = phase.trainable.flatMap((m) => slotsOf(slots, m));
      const variables = trainableVariables(view, modules);
      const optimizer = createOptimizer(phase, variables);
      const resumeHere = resumeInPhase(resume, phaseIndex);
      if (resumeHere !== null) restoreOptimizer(optimizer, resumeHere, names);
      const queries = !settings.queryCache ? COMPUTE_QUERIES : queriesFor(view, modules, train);
      const runner = createPhaseRunner({ plan, phase, model: view, trainable: variables, optimizer, train, queries });
      const stopped = await trainPhase({
        plan, phaseIndex, variant, runner, optimizer, names, finished: [...finished], resumeAt: resumeHere?.manifest ?? null, progress,
        checkpointDir: options.checkpointDir, emit, ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
        afterEpoch: async (epochs) => {
          if (typeof every === 'number' && epochs % every === 0 && epochs < phase.epochs) await evaluate(phase.name);
        },
      });
      optimizer.dispose();
      if (stopped) return 'stopped';
      progress.before += phaseSteps[phaseIndex]!;
      finished.add(phase.name);
      await writeCheckpoint(options.checkpointDir, plan.hash, { phaseIndex: phaseIndex + 1, phase: phase.name, epoch: phase.epochs, step: 0, finished: [...finished] }, names.tensors, null);
      if (every !== 'end' && phaseIndex < plan.phases.length - 1) await evaluate(phase.name);
    }

    const { perClass, accuracy } = await evaluate(plan.phases.at(-1)?.name ?? '');
    return {
      variant, planHash: plan.hash, trainableParams, backboneParams: backboneParameterCount(backbone), accuracy, boundaries,
      trainCounts, perClass, seconds: (Date.now() - started) / 1000,
    };
  } finally {
    disposeResumeState(resume);
    disposeLptModel(model);
  }
}

/**
 * Phase 2's query pass is a fixed function of the image while the shared prompt and adapters are
 * frozen and the training images are not randomly augmented: then each image's query is computed
 * once per phase instead of once per step (docs/PERFORMANCE.md).
 */
function queriesFor(view: LptModel, trained: readonly ModuleName[], train: PreparedSplit): QuerySource {
  if (view.pool === null || trained.includes('shared') || trained.includes('adapters') || !deterministicTransforms(train)) return COMPUTE_QUERIES;
  return { kind: 'cache', cache: new QueryCache(train.dataset.labels.length, view.backbone.config.dim) };
}
