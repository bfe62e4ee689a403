/**
 * The split a phase trains on (`split NAME`): a declared data split, and never one the experiment
 * evaluates (a result measured on images the model was fitted to would not be a measurement).
 */
import { Messages } from '../../../diagnostics/messages.ts';
import { didYouMean } from '../../suggest.ts';
import type { Rule } from '../context.ts';

export const PhaseSplitRule: Rule = (ctx) => ({
  Phase(phase) {
    const ref = phase.split;
    if (ref === undefined || ctx.model.partial) return;
    if (!ctx.model.splits.has(ref.name)) {
      ctx.report(Messages.UnknownName, ref.node.span, [
        'data split',
        ref.name,
        didYouMean(ref.name, ctx.model.splits.keys()),
      ]);
    } else if (ctx.typed.evaluations.some((e) => e.split.name === ref.name)) {
      ctx.report(Messages.PhaseSplit, ref.node.span, [
        phase.name,
        ref.name,
        'which the experiment also evaluates: train on the train split or on a split held out for training (`holdout(...)`), and evaluate another.',
      ]);
    }
  },
});
