/** Backbones are never trained: a backbone in a `train` list is an error (every backbone weight stays frozen). */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const BackboneNotTrainedRule: Rule = (ctx) => ({
  Phase(phase) {
    for (const ref of phase.train) {
      if (ctx.index.kindOf(ref.name) === 'backbone') ctx.report(Messages.TrainsBackbone, ref.node.span, [ref.name]);
    }
  },
});
