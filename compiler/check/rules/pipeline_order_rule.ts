/** Pipeline order: a split starts with exactly one data source, followed by at most one long-tail step, then transforms. */
import { Messages } from '../../../diagnostics/messages.ts';
import { callNames } from '../../spec/index.ts';
import type { Rule } from '../context.ts';

export const PipelineOrderRule: Rule = (ctx) => ({
  Split(split) {
    split.stages.forEach((stage, i) => {
      const family = stage.call?.spec.family;
      if (!family) return;
      if (i === 0 && family !== 'source') {
        ctx.report(Messages.PipelineOrder, stage.expr.span, [
          `A pipeline starts with a data source (${callNames('source').join(', ')}).`,
        ]);
      } else if (i > 0 && family === 'source') {
        ctx.report(Messages.PipelineOrder, stage.expr.span, ['Only the first stage of a pipeline is a data source.']);
      } else if (i > 1 && family === 'subsample') {
        ctx.report(Messages.PipelineOrder, stage.expr.span, ['longtail(...) comes right after the data source.']);
      }
    });
  },
});
