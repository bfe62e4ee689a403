/**
 * The splits a plan's run reads, each prepared once before training: train, the evaluated splits,
 * the splits phases train on (`split NAME`, e.g. the scorer on images held out of train) and the
 * scorer's calibration split.
 */
import type { Plan, PlanPhase } from '../../plan/plan.ts';
import { prepareSplit, type PreparedSplit } from '../build/splits.ts';

export interface RunData {
  readonly train: PreparedSplit;
  /** The split of the plan's first evaluate block. */
  readonly test: PreparedSplit;
  /** Every split the plan evaluates, by name. */
  readonly evaluated: ReadonlyMap<string, PreparedSplit>;
  /** The split the scorer's temperatures are fitted on; null without calibration. */
  readonly calibration: PreparedSplit | null;
  /** The split a phase trains on: its own, else train. */
  of(phase: PlanPhase): PreparedSplit;
}

export async function loadRunData(plan: Plan): Promise<RunData> {
  const load = (name: string) => {
    const split = plan.data.splits.find((s) => s.name === name);
    if (split === undefined) throw new Error(`the plan has no split '${name}', which supports() refuses`);
    return prepareSplit(split);
  };
  const train = await load('train');
  const evaluated = new Map<string, PreparedSplit>();
  for (const { split } of plan.evaluation) if (!evaluated.has(split)) evaluated.set(split, await load(split));
  const test = evaluated.get(plan.evaluation[0]!.split)!;
  const byName = new Map<string, PreparedSplit>([['train', train]]);
  const calibrationSplit = plan.modules.scorer?.calibration?.split;
  for (const name of [...plan.phases.map((p) => p.split), calibrationSplit])
    if (name !== undefined && !byName.has(name)) byName.set(name, await load(name));
  return {
    train,
    test,
    evaluated,
    calibration: calibrationSplit === undefined ? null : byName.get(calibrationSplit)!,
    of: (phase) => byName.get(phase.split ?? 'train')!,
  };
}
