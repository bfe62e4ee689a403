/** Layers within depth: prompts and adapters name only blocks 1..depth of their backbone. */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';
import type { LayersValue } from '../values.ts';

export const LayersWithinDepthRule: Rule = (ctx) => ({
  Declaration(decl) {
    if ((decl.keyword !== 'prompt' && decl.keyword !== 'adapter') || !decl.call) return;
    const layers = decl.call.args.get('layers');
    const list = (layers?.value as LayersValue | undefined)?.list;
    const backbone = ctx.index.backboneOf(decl);
    const depth = backbone === undefined ? undefined : ctx.index.depth(backbone);
    if (!layers || !list || depth === undefined) return;
    const outside = list.find((l) => l > depth);
    if (outside !== undefined)
      ctx.report(Messages.LayersOutOfDepth, layers.node.value.span, [outside, backbone!, depth]);
  },
});
