/**
 * Picking plans by name, the one rule `lpt compile --variant` and `lpt run --variant` share: a
 * name matches an ablation variant by its name ("VPT"), its qualified name ("baseline/VPT") or its
 * plan name ("quickstart/baseline/VPT"), and an experiment's own plan by the experiment's name or
 * label. The seeds of one row (`--seeds`, `vary seed`) answer to the row's name ("VPT",
 * "baseline/VPT", "LPT") as a group, and each to its own ("VPT, seed=1"). A name that matches
 * plans of different variants is ambiguous and refused.
 */
import type { Plan } from './plan.ts';

/** "baseline/VPT" for a variant, the experiment's name for its own plan. */
export function qualifiedName(plan: Plan): string {
  return plan.variant ? `${plan.variant.ablation}/${plan.variant.name}` : plan.experiment;
}

/** The row a plan belongs to: its qualified name, without the seed for one seed of several. */
function qualifiedRow(plan: Plan): string {
  if (plan.replicateOf === undefined) return qualifiedName(plan);
  return plan.variant ? `${plan.variant.ablation}/${plan.replicateOf}` : plan.experiment;
}

export function matchesName(plan: Plan, wanted: string): boolean {
  if (plan.replicateOf === wanted || (plan.variant && qualifiedRow(plan) === wanted)) return true;
  if (plan.variant === null) return plan.experiment === wanted || plan.label === wanted || plan.name === wanted;
  return plan.variant.name === wanted || qualifiedName(plan) === wanted || plan.name === wanted;
}

export type Selection =
  { readonly ok: true; readonly plans: readonly Plan[] } | { readonly ok: false; readonly message: string };

/** The plans `wanted` names, or why there are none or too many (the message lists the choices). */
export function selectByName(plans: readonly Plan[], wanted: string): Selection {
  const matches = plans.filter((p) => matchesName(p, wanted));
  const quoted = (ps: readonly Plan[]) => ps.map((p) => `"${qualifiedName(p)}"`).join(', ');
  if (matches.length === 0)
    return { ok: false, message: `no variant '${wanted}'. Choices: ${plans.length > 0 ? quoted(plans) : 'none'}.` };
  if (new Set(matches.map(qualifiedRow)).size > 1)
    return { ok: false, message: `variant '${wanted}' is ambiguous: ${quoted(matches)}.` };
  return { ok: true, plans: matches };
}
