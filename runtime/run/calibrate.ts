/**
 * The experts' calibration temperatures for a run (the plan's `scorer.calibration`), fitted on
 * the calibration split with the experts as they are when asked (frozen from then on: the scorer's
 * phase and the evaluation). Fitting is a deterministic function of the expert weights and the
 * split, so a resumed run fits the same temperatures and nothing is checkpointed; the result is
 * kept until the experts change (a phase trains another expert module).
 */
import type { PlanScorer } from '../../plan/plan.ts';
import { fitTemperatures } from '../eval/calibration.ts';
import type { LptModel } from '../model/lpt_model.ts';
import type { PreparedSplit } from '../build/splits.ts';

/** `temperatures(experts, key)`: per scorer expert its T, or undefined without calibration. */
export type Calibrator = (experts: readonly LptModel[], expertsKey: string) => Promise<readonly number[] | undefined>;

export function createCalibrator(scorer: PlanScorer | null, split: PreparedSplit | null, classes: number): Calibrator {
  let last: { key: string; temperatures: readonly number[] } | null = null;
  return async (experts, expertsKey) => {
    if (scorer?.calibration === undefined) return undefined;
    if (split === null)
      throw new Error(`scorer '${scorer.name}': the calibration split '${scorer.calibration.split}' was not prepared`);
    if (last?.key !== expertsKey)
      last = { key: expertsKey, temperatures: await fitTemperatures(experts, split, classes) };
    return last.temperatures;
  };
}
