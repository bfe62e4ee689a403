/**
 * The plan's evaluation, as the run stands: the evaluated expert, or the scorer's mixture over its
 * experts (calibrated if the plan says so; an untrained scorer is the equal average), scored on
 * the evaluated split and reported as an event. Evaluations during training (every phase, or every
 * N epochs) are only reported; the variant's result is the one at the end.
 */
import { describeBoundaries, shotAccuracy, type PerClassResult } from '../eval/shots.ts';
import { expertByName, namesEachExpert } from '../build/ensemble.ts';
import { stamp } from '../events.ts';
import { type EvalTarget, evaluateSplit } from './evaluate.ts';
import { expertView, type PlanRun, temperaturesOf } from './plan_run.ts';

export interface PlanAccuracy {
  readonly perClass: PerClassResult;
  readonly accuracy: { overall: number; many: number; medium: number; few: number };
}

/** Evaluates the run after `phase` and emits the evaluation event. */
export async function evaluatePlan(run: PlanRun, phase: string): Promise<PlanAccuracy> {
  const { plan, evaluation, ensemble } = run;
  const target = await evaluationTarget(run);
  const perClass = await evaluateSplit(target, run.data.test);
  const accuracy = shotAccuracy(perClass, run.trainCounts, evaluation.shots);
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
      boundaries: describeBoundaries(evaluation.shots),
      ...(namesEachExpert(ensemble) ? { model: evaluation.model } : {}),
      ...(temperatures ? { temperatures } : {}),
    }),
  );
  return { perClass, accuracy };
}

async function evaluationTarget(run: PlanRun): Promise<EvalTarget> {
  const { plan, ensemble, evaluation } = run;
  const scorer = plan.modules.scorer;
  if (scorer !== null && scorer.name === evaluation.model) {
    const experts = scorer.experts.map((name) => expertView(run, expertByName(ensemble, name)!));
    const temperatures = await temperaturesOf(run, experts);
    return { experts, scorer: ensemble.scorer!, ...(temperatures ? { temperatures } : {}) };
  }
  return expertView(run, expertByName(ensemble, evaluation.model)!);
}
