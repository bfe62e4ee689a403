/**
 * `lpt evaluate`: a finished plan's model scored on a split it was not evaluated on, with the
 * shot groups and model of its first evaluate block, and added to results.json (and
 * per_class.csv) as one more entry of the plan, so `lpt report --split NAME` shows it. The run
 * directory is locked while results.json is rewritten (atomically), so a live run is never raced.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanSplit } from '../../plan/plan.ts';
import { parseRunResults } from '../../plan/results.ts';
import { prepareSplit } from '../build/splits.ts';
import { describeBoundaries, shotAccuracy } from '../eval/shots.ts';
import { evaluateSplit } from '../run/evaluate.ts';
import { evaluationTarget } from '../run/plan_evaluation.ts';
import { acquireRunLock } from '../store/run_lock.ts';
import { openRunDirectory, variantResults, writeResults } from '../store/run_directory.ts';
import type { SplitResult } from '../run/plan_evaluation.ts';
import type { TrainedRun } from './trained_run.ts';
import { UseError } from './use_error.ts';

export async function evaluateTrainedRun(
  trained: TrainedRun,
  split: PlanSplit,
  warn: (message: string) => void,
): Promise<SplitResult> {
  const { plan, run, runDir } = trained;
  if (plan.data.splits.some((s) => s.name === split.name))
    throw new UseError(`the plan already has a split '${split.name}'; give the new split another name`);
  const prepared = await prepareSplit(split);
  if (prepared.dataset.classes !== plan.classes)
    throw new UseError(
      `split '${split.name}' has ${prepared.dataset.classes} classes (${prepared.dataset.name}), the model ${plan.classes}`,
    );
  const evaluation = plan.evaluation[0]!;
  const perClass = await evaluateSplit(await evaluationTarget(run, evaluation), prepared);
  const result: SplitResult = {
    split: split.name,
    perClass,
    accuracy: shotAccuracy(perClass, run.trainCounts, evaluation.shots),
    boundaries: describeBoundaries(evaluation.shots),
  };
  const lock = acquireRunLock(runDir, warn);
  try {
    const { index, results } = openRunDirectory(runDir);
    const own = results.find((r) => r.planHash === plan.hash);
    if (own === undefined)
      throw new UseError(`results.json holds no result of variant '${trained.variant}'`, {
        file: join(runDir, 'results.json'),
      });
    const [entry] = variantResults(
      {
        ...result,
        variant: own.variant,
        planHash: plan.hash,
        trainableParams: own.trainableParams,
        backboneParams: own.backboneParams,
        trainCounts: run.trainCounts,
        evaluations: [result],
        seconds: own.seconds ?? 0,
      },
      plan,
    );
    const kept = results.filter((r) => !(r.planHash === plan.hash && r.split === split.name));
    const parsed = parseRunResults(readFileSync(join(runDir, 'results.json'), 'utf8'));
    const boundaries = parsed.ok ? parsed.results.boundaries : result.boundaries;
    writeResults(runDir, index, boundaries, [...kept, entry!]);
  } finally {
    lock.release();
  }
  return result;
}
