/**
 * Data splits: an experiment has a `train` split; a long-tail step on another split is a warning
 * (test sets are balanced); at most one split is held out of the train split, and not the train split itself.
 */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const DataSplitsRule: Rule = (ctx) => ({
  Experiment() {
    if (!ctx.model.partial && !ctx.model.splits.has('train')) ctx.report(Messages.MissingTrainSplit, ctx.model.nameNode.span);
  },
  Split(split) {
    const holdout = split.stages[0]?.call?.name === 'holdout' ? split.stages[0] : undefined;
    if (holdout && split.name === 'train') {
      ctx.report(Messages.HoldoutSplit, holdout.expr.span, ['holdout(...) takes images out of the train split; the train split itself starts with a data source.']);
    } else if (holdout && ctx.typed.splits.find((s) => s.stages[0]?.call?.name === 'holdout') !== ctx.typed.splits.find((s) => s.name === split.name)) {
      ctx.report(Messages.HoldoutSplit, holdout.expr.span, ['Only one split can be held out of the train split.']);
    }
    if (split.name === 'train') return;
    const longtail = split.stages.find((s) => s.call?.spec.family === 'subsample');
    if (longtail) ctx.report(Messages.TestSplitSubsampled, longtail.expr.span, [split.name]);
  },
});
