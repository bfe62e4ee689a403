/**
 * One of the plan's evaluations, as the run stands: the evaluated expert, or the scorer's mixture
 * over its experts (calibrated if the plan says so; an untrained scorer is the equal average),
 * scored on its split and reported as an event. Evaluations during training (every phase, or
 * every N epochs) are only reported; the variant's results are those at the end.
 */
import type { PlanEvaluation } from '../../plan/plan.ts';
import { describeBoundaries, shotAccuracy, type PerClassResult } from '../eval/shots.ts';
import { expertByName, namesEachExpert } from '../build/ensemble.ts';
import { stamp } from '../events.ts';
import { type EvalTarget, evaluateSplit } from './evaluate.ts';
import { expertView, type PlanRun, temperaturesOf } from './plan_run.ts';

/** One evaluate block's result. */
export interface SplitResult {
  readonly split: string;
  readonly perClass: PerClassResult;
  readonly accuracy: { overall: number; many: number; medium: number; few: number };
  readonly boundaries: string;
}

/** Evaluates `evaluation` of the run after `phase` and emits the evaluation event. */
export async function evaluatePlan(run: PlanRun, phase: string, evaluation: PlanEvaluation): Promise<SplitResult> {
  const { plan, ensemble } = run;
  const target = await evaluationTarget(run, evaluation);
  const split = run.data.evaluated.get(evaluation.split)!;
  const limit = run.options.limit;
  const perClass = await (limit
    ? evaluateSplit(target, split, limit.evalBatchSize, undefined, limit.evalBatches)
    : evaluateSplit(target, split));
  const accuracy = shotAccuracy(perClass, run.trainCounts, evaluation.shots);
  const boundaries = describeBoundaries(evaluation.shots);
  const temperatures =
    'temperatures' in target && target.temperatures !== undefined
      ? Object.fromEntries(plan.modules.scorer!.experts.map((name, e) => [name, target.temperatures![e]!]))
      : undefined;
  run.options.emit(
    stamp({
      type: 'evaluation',
      variant: run.options.variant,
      phase,
      split: evaluation.split,
      accuracy,
      boundaries,
      ...(namesEachExpert(ensemble) ? { model: evaluation.model } : {}),
      ...(temperatures ? { temperatures } : {}),
    }),
  );
  return { split: evaluation.split, perClass, accuracy, boundaries };
}

export async function evaluationTarget(run: PlanRun, evaluation: PlanEvaluation): Promise<EvalTarget> {
  const { plan, ensemble } = run;
  const scorer = plan.modules.scorer;
  if (scorer !== null && scorer.name === evaluation.model) {
    const experts = scorer.experts.map((name) => expertView(run, expertByName(ensemble, name)!));
    const temperatures = await temperaturesOf(run, experts);
    return { experts, scorer: ensemble.scorer!, ...(temperatures ? { temperatures } : {}) };
  }
  return expertView(run, expertByName(ensemble, evaluation.model)!);
}
