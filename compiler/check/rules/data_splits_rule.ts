/**
 * Data splits: an experiment has a `train` split; a long-tail step on a split it evaluates is a
 * warning (test sets are balanced); splits held out of the train split (several are disjoint) share one
 * seed, and the train split itself is not one.
 */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const DataSplitsRule: Rule = (ctx) => ({
  Experiment() {
    if (!ctx.model.partial && !ctx.model.splits.has('train'))
      ctx.report(Messages.MissingTrainSplit, ctx.model.nameNode.span);
  },
  Split(split) {
    const holdout = split.stages[0]?.call?.name === 'holdout' ? split.stages[0] : undefined;
    if (holdout && split.name === 'train') {
      ctx.report(Messages.HoldoutSplit, holdout.expr.span, [
        'holdout(...) takes images out of the train split; the train split itself starts with a data source.',
      ]);
    } else if (holdout?.call) {
      const first = ctx.typed.splits.find((s) => s.stages[0]?.call?.name === 'holdout')!;
      const seedOf = (call: NonNullable<typeof holdout.call>) => call.args.get('seed')?.value;
      if (first.name !== split.name && seedOf(first.stages[0]!.call!) !== seedOf(holdout.call)) {
        ctx.report(Messages.HoldoutSplit, holdout.expr.span, [
          `The splits held out of the train split share one seed (split '${first.name}' gives another); they are disjoint parts of one per-class draw.`,
        ]);
      }
    }
    // Test sets are balanced; a split only trained on (`split NAME` in a phase) may be long-tailed.
    if (split.name === 'train' || !ctx.typed.evaluations.some((e) => e.split.name === split.name)) return;
    const longtail = split.stages.find((s) => s.call?.spec.family === 'subsample');
    if (longtail) ctx.report(Messages.TestSplitSubsampled, longtail.expr.span, [split.name]);
  },
});
