/** Data splits: an experiment has a `train` split, and a long-tail step on another split is a warning (test sets are balanced). */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const DataSplitsRule: Rule = (ctx) => ({
  Experiment() {
    if (!ctx.model.partial && !ctx.model.splits.has('train')) ctx.report(Messages.MissingTrainSplit, ctx.model.nameNode.span);
  },
  Split(split) {
    if (split.name === 'train') return;
    const longtail = split.stages.find((s) => s.call?.spec.family === 'subsample');
    if (longtail) ctx.report(Messages.TestSplitSubsampled, longtail.expr.span, [split.name]);
  },
});
