/**
 * Before a run starts: every file the plan reads must exist. Checking and compiling only warn
 * about missing paths (so paper-scale experiments check anywhere); running needs them, and says
 * which are missing before any work is done.
 */
import { existsSync } from 'node:fs';
import type { Plan } from '../../plan/plan.ts';
import { planInputs } from '../../plan/paths.ts';

/** One line per missing file: "experiments/x.lpt: data split 'train' needs data/foo (missing)". */
export function missingInputs(plan: Plan): string[] {
  return planInputs(plan)
    .filter((n) => !existsSync(n.path))
    .map((n) => `${plan.source}: ${n.what}: ${n.path} does not exist`);
}
