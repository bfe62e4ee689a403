/**
 * Complete experiments: an experiment (not a preset) has an evaluate block (warning). It may have
 * no phases: it then evaluates the model as initialised (a zero-shot row).
 */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const ExperimentCompleteRule: Rule = (ctx) => ({
  Experiment() {
    if (ctx.model.partial) return;
    if (ctx.typed.evaluations.length === 0)
      ctx.report(Messages.NoEvaluation, ctx.model.nameNode.span, [ctx.model.name]);
  },
});
