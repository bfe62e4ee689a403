/**
 * Which plan of a run directory an export takes: by row name (`--variant`, as results.json and
 * `lpt report` name rows) and seed (`--seed`, for rows run with several seeds). With neither, the
 * run must hold exactly one plan.
 */
import type { Plan } from '../../plan/plan.ts';
import { variantName } from '../store/run_directory.ts';
import { ExportError } from './export_error.ts';

export interface PlanChoice {
  readonly variant?: string;
  readonly seed?: number;
}

/** The row a plan belongs to: its seeds share it. */
function rowName(plan: Plan): string {
  return plan.replicateOf ?? variantName(plan);
}

export function choosePlan(runDir: string, plans: readonly Plan[], choice: PlanChoice): Plan {
  const matches = plans.filter(
    (p) =>
      (choice.variant === undefined || rowName(p) === choice.variant || variantName(p) === choice.variant) &&
      (choice.seed === undefined || p.seed === choice.seed),
  );
  if (matches.length === 1) return matches[0]!;
  const held = plans.map((p) => `'${rowName(p)}' (seed ${p.seed})`).join(', ');
  const asked = [
    choice.variant === undefined ? '' : `variant '${choice.variant}'`,
    choice.seed === undefined ? '' : `seed ${choice.seed}`,
  ]
    .filter((s) => s !== '')
    .join(' and ');
  if (matches.length === 0) throw new ExportError(`${runDir}: the run holds no ${asked || 'plan'}; it holds ${held}`);
  throw new ExportError(
    `${runDir}: ${asked ? `${asked} matches` : 'the run holds'} ${matches.length} plans; pick one with --variant NAME and --seed N (it holds ${held})`,
  );
}
