/**
 * The executor's side of the capability check (runtime/supports.ts): a plan is checked once before
 * any of it runs, whether it was compiled here or came from elsewhere (a queue job, a run
 * directory), and every problem is reported in one error.
 */
import type { Plan } from '../../plan/plan.ts';
import { UserError } from '../errors.ts';
import { supports, type SupportProblem } from '../supports.ts';

/** A plan the runtime cannot run: every problem, each naming its entity, in one message. */
export class PlanNotSupportedError extends UserError {
  override readonly name = 'PlanNotSupportedError';
  constructor(
    plan: Pick<Plan, 'source' | 'name'>,
    readonly problems: readonly SupportProblem[],
  ) {
    super(`the runtime cannot run it:\n${problems.map((p) => `  ${describeProblem(p)}`).join('\n')}`, {
      file: plan.source,
      place: `plan '${plan.name}'`,
    });
  }
}

/** "phase 'two' (loss): its matching loss needs ...", as the compiler's 5001 reads. */
function describeProblem({ entity, reason }: SupportProblem): string {
  return `${entity.kind} '${entity.name}'${entity.setting === undefined ? '' : ` (${entity.setting})`}: ${reason}`;
}

/** Throws one PlanNotSupportedError listing every problem of `plan`, or returns when it runs. */
export function assertSupported(plan: Plan): void {
  const problems = supports(plan);
  if (problems.length > 0) throw new PlanNotSupportedError(plan, problems);
}
