/** Matching sign: the matching term is a similarity to maximise, so a positive weight is a warning. */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const MatchingSignRule: Rule = (ctx) => ({
  Phase(phase) {
    for (const term of phase.loss?.terms ?? []) {
      if (term.call.name === 'matching' && term.weight.scale > 0)
        ctx.report(Messages.MatchingPositiveWeight, term.call.node.span);
    }
  },
});
