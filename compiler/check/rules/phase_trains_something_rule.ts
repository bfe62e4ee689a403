/** Phases train something: every phase lists at least one trained module. */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const PhaseTrainsSomethingRule: Rule = (ctx) => ({
  Phase(phase) {
    if (ctx.model.partial) return; // a preset's phase may be a patch that only changes settings
    const train = phase.entry.props.get('train');
    if (!train || train.values.length === 0)
      ctx.report(Messages.PhaseTrainsNothing, phase.entry.name.span, [phase.name]);
  },
});
