/** Scorer experts: a mixture scorer combines at least two experts. */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const ScorerExpertsRule: Rule = (ctx) => ({
  Declaration(decl) {
    if (decl.keyword !== 'scorer' || !decl.call) return;
    const experts = decl.call.args.get('experts');
    const count = Array.isArray(experts?.value) ? experts.value.length : 0;
    if (experts && count < 2) ctx.report(Messages.ScorerNeedsExperts, experts.node.value.span, [count]);
  },
});
