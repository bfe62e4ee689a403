/** Pipelines match backbones: a split's images have the size of every backbone the experts use, and its channels
 * (a grey source reaches a colour backbone through `to_rgb`). */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';
import { numberArg } from '../model_index.ts';
import { pipelineFacts } from '../pipeline.ts';

export const PipelineMatchesBackboneRule: Rule = (ctx) => ({
  Split(split) {
    const facts = pipelineFacts(
      split,
      ctx.typed.splits.find((s) => s.name === 'train'),
    );
    const backbones = new Set(
      ctx.index
        .experts()
        .map((e) => e.backbone)
        .filter((b): b is string => b !== undefined),
    );
    for (const name of backbones) {
      const call = ctx.index.decl(name)?.call;
      if (call?.name !== 'vit') continue;
      const image = numberArg(call, 'image');
      const channels = numberArg(call, 'channels');
      if (facts.size !== null && image !== undefined && facts.size !== image) {
        ctx.report(Messages.ImageSizeMismatch, (facts.sizeNode ?? split.entry.value).span, [
          split.name,
          facts.size,
          name,
          image,
        ]);
      }
      if (facts.channels === null || channels === undefined || facts.channels === channels || !facts.source) continue;
      if (facts.holdout) continue; // reported on the train split, whose source it reads
      // Grey images feed a colour backbone only through an explicit `to_rgb`; the reverse needs a choice we do not make.
      const toRgb = facts.transforms.find((t) => t.name === 'to_rgb');
      if (facts.channels === 1 && channels === 3)
        ctx.report(Messages.GreyNeedsToRgb, facts.source.node.span, [split.name, name]);
      else
        ctx.report(Messages.ChannelMismatch, (toRgb ?? facts.source).node.span, [
          split.name,
          facts.channels,
          name,
          channels,
        ]);
    }
  },
});
