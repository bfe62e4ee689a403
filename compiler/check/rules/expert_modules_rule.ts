/** Expert modules: the prompts and adapters of an expert sit on the expert's own backbone. */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const ExpertModulesRule: Rule = (ctx) => ({
  Declaration(decl) {
    if (decl.keyword !== 'expert') return;
    const expert = ctx.index.experts().find((e) => e.name === decl.name);
    if (!expert?.backbone) return;
    for (const ref of expert.modules) {
      const module = ctx.index.decl(ref.name);
      const on = module && ctx.index.backboneOf(module);
      if (on !== undefined && on !== expert.backbone)
        ctx.report(Messages.ExpertBackboneMismatch, ref.node.span, [ref.name, on, expert.name, expert.backbone]);
    }
  },
});
