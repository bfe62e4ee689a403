/** Double re-balancing (warning): a class-aware or dual sampler together with balanced softmax or logit adjustment. */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

const balancedSamplers = new Set(['class_aware', 'dual']);
const balancedLosses = new Set(['balanced_softmax', 'logit_adjust']);

export const DoubleRebalancingRule: Rule = (ctx) => ({
  Phase(phase) {
    if (!phase.sample || !balancedSamplers.has(phase.sample.name)) return;
    for (const term of phase.loss?.terms ?? []) {
      if (balancedLosses.has(term.call.name))
        ctx.report(Messages.DoubleRebalancing, term.call.node.span, [phase.sample.name, term.call.name]);
    }
  },
});
