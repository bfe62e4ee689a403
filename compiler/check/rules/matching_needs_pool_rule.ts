/** Matching needs a pool: the matching loss term needs a prompt pool with learned keys in the experts the phase runs. */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';
import { stringArg } from '../model_index.ts';
import { phaseExperts } from '../phase_experts.ts';

export const MatchingNeedsPoolRule: Rule = (ctx) => ({
  Phase(phase) {
    const matching = phase.loss?.terms.find((t) => t.call.name === 'matching');
    if (!matching || ctx.model.partial) return;
    const hasPool = phaseExperts(ctx.index, phase).some((e) =>
      e.modules.some((m) => {
        const call = ctx.index.decl(m.name)?.call;
        return call?.name === 'pool' && stringArg(call, 'keys') === 'learned';
      }),
    );
    if (!hasPool) ctx.report(Messages.MatchingWithoutPool, matching.call.node.span, [phase.name]);
  },
});
