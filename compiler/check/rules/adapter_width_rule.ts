/** Adapter width (warning): an adapter's bottleneck is narrower than the backbone it sits on. */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';
import { numberArg } from '../model_index.ts';

export const AdapterWidthRule: Rule = (ctx) => ({
  Declaration(decl) {
    if (decl.call?.name !== 'adaptformer') return;
    const backbone = ctx.index.backboneOf(decl);
    const backboneCall = backbone === undefined ? undefined : ctx.index.decl(backbone)?.call;
    const dim = backboneCall && numberArg(backboneCall, 'dim');
    const bottleneck = numberArg(decl.call, 'bottleneck');
    if (dim !== undefined && bottleneck !== undefined && bottleneck >= dim) {
      ctx.report(Messages.AdapterTooWide, (decl.call.args.get('bottleneck')?.node.value ?? decl.call.node).span, [
        bottleneck,
        dim,
      ]);
    }
  },
});
