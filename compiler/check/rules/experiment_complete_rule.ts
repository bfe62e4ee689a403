/** Complete experiments: an experiment (not a preset) has phases, and an evaluate block (warning). */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const ExperimentCompleteRule: Rule = (ctx) => ({
  Experiment() {
    if (ctx.model.partial) return;
    if (ctx.typed.phases.length === 0) ctx.report(Messages.NoPhases, ctx.model.nameNode.span, [ctx.model.name]);
    if (ctx.typed.evaluations.length === 0)
      ctx.report(Messages.NoEvaluation, ctx.model.nameNode.span, [ctx.model.name]);
  },
});
