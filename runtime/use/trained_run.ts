/**
 * A finished plan of a run directory, loaded back for use (`lpt predict`, `lpt evaluate`): the
 * plan chosen as `lpt export` chooses it, its data and models built as `lpt run` builds them,
 * and the tensors of its newest checkpoint, which must be the end of its last phase.
 */
import type { Plan } from '../../plan/plan.ts';
import { buildEnsemble, disposeEnsemble, expertByName } from '../build/ensemble.ts';
import { prepareTextHeads } from '../build/text_head.ts';
import { choosePlan, type PlanChoice } from '../export/choose_plan.ts';
import { resolveModelPaths } from '../model/kernels/paths.ts';
import { assertSupported } from '../run/assert_supported.ts';
import type { EvalTarget } from '../run/evaluate.ts';
import { evaluationTarget } from '../run/plan_evaluation.ts';
import { type PlanRun, startRun } from '../run/plan_run.ts';
import { loadRunData } from '../run/run_data.ts';
import { DEFAULT_RUNTIME_SETTINGS } from '../settings.ts';
import { checkpointDir, openRunDirectory, type RunIndex } from '../store/run_directory.ts';
import { disposeResumeState, loadResumeState } from '../store/resume.ts';
import { UseError } from './use_error.ts';

/** The plan of a run directory that predict or evaluate uses, before anything of it is loaded. */
export interface ChosenPlan {
  readonly runDir: string;
  readonly index: RunIndex;
  readonly plan: Plan;
  /** The row name results.json gives the plan. */
  readonly variant: string;
}

/** The plan `choice` picks, as `lpt export` picks it. */
export function chooseTrainedPlan(runDir: string, choice: PlanChoice): ChosenPlan {
  const { plans, index } = openRunDirectory(runDir, true);
  const plan = choosePlan(runDir, plans, choice);
  const variant = index.variants.find((v) => v.planHash === plan.hash)?.name ?? plan.name;
  return { runDir, index, plan, variant };
}

export interface TrainedRun extends ChosenPlan {
  readonly run: PlanRun;
  dispose(): void;
}

export interface TrainedRunOptions {
  readonly backend: { readonly name: string; readonly reason: string };
  readonly warn: (message: string) => void;
}

export async function loadTrainedRun(chosen: ChosenPlan, options: TrainedRunOptions): Promise<TrainedRun> {
  const { runDir, index, plan, variant } = chosen;
  const { warn } = options;
  const checkpoints = checkpointDir(runDir, plan);
  const resume = loadResumeState(checkpoints, plan.hash, warn);
  const unfinished = plan.phases.filter((p) => !(resume?.manifest.finished ?? []).includes(p.name));
  if (resume === null || unfinished.length > 0) {
    disposeResumeState(resume);
    const where = resume === null ? 'it has no checkpoint' : `its newest checkpoint is ${resume.manifest.file}`;
    throw new UseError(
      `variant '${variant}' has not finished phase '${unfinished[0]!.name}' (${where}); finish it with lpt run --resume ${runDir}`,
      { file: checkpoints },
    );
  }
  assertSupported(plan);
  const data = await loadRunData(plan);
  await prepareTextHeads(plan);
  const ensemble = buildEnsemble(plan, warn, resolveModelPaths(DEFAULT_RUNTIME_SETTINGS.speed));
  try {
    const run = await startRun(
      plan,
      { variant, checkpointDir: checkpoints, emit: () => {}, backend: options.backend, runDir },
      data,
      ensemble,
      resume,
    );
    return { runDir, index, plan, variant, run, dispose: () => disposeEnsemble(ensemble) };
  } catch (error) {
    disposeEnsemble(ensemble);
    throw error;
  } finally {
    disposeResumeState(resume);
  }
}

/**
 * What predicts: the model the plan's first evaluate block scores (for LPT++ the scorer's
 * mixture), or the expert named.
 */
export async function predictionTarget(trained: TrainedRun, expert?: string): Promise<EvalTarget> {
  const { plan, run } = trained;
  const evaluation = plan.evaluation[0]!;
  if (expert === undefined) return evaluationTarget(run, evaluation);
  const experts = run.ensemble.experts.map((e) => e.plan.name);
  if (expertByName(run.ensemble, expert) === undefined && plan.modules.scorer?.name !== expert)
    throw new UseError(
      `--expert ${expert}: the plan has no such expert (its experts: ${experts.join(', ')}${plan.modules.scorer ? `; the mixture: ${plan.modules.scorer.name}` : ''})`,
    );
  return evaluationTarget(run, { ...evaluation, model: expert });
}
