/**
 * The runtime's capability check (runtime/supports.ts) as diagnostics: each problem names a plan
 * entity, and the model that made the plan knows which declaration made that name, so the error
 * (5001) points at it. `lpt check`, `lpt compile` and `lpt run` report it before any data loads.
 */
import { diagnostic } from '../../diagnostics/diagnose.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { Messages } from '../../diagnostics/messages.ts';
import type { Span } from '../../diagnostics/span.ts';
import type { Plan } from '../../plan/plan.ts';
import { supports, type PlanEntity } from '../../runtime/supports.ts';
import type { ExperimentModel } from '../bind/model.ts';

export function runtimeSupportDiagnostics(model: ExperimentModel, plan: Plan): Diagnostic[] {
  return supports(plan).map((p) =>
    diagnostic(Messages.UnsupportedByRuntime, declarationSpan(model, p.entity), [
      p.entity.kind,
      p.entity.name,
      p.reason,
    ]),
  );
}

/** The narrowest source of an entity: its declaration's name, a phase's setting, an evaluation's split. */
export function declarationSpan(model: ExperimentModel, entity: PlanEntity): Span {
  const fallback = (model.variant?.nameNode ?? model.nameNode).span;
  switch (entity.kind) {
    case 'experiment':
      return fallback;
    case 'phase': {
      const phase = model.phases.get(entity.name);
      const setting = entity.setting === undefined ? undefined : phase?.props.get(entity.setting);
      return setting?.keyword.span ?? phase?.name.span ?? fallback;
    }
    case 'evaluation':
      return model.evaluations.get(entity.name)?.split.span ?? fallback;
    default:
      return model.decls.get(entity.name)?.name.span ?? fallback;
  }
}
