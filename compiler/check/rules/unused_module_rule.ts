/** Unused modules (warning): with declared experts, every prompt, adapter and head is used by one. */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const UnusedModuleRule: Rule = (ctx) => ({
  Declaration(decl) {
    if (ctx.model.partial || ctx.index.declsOf('expert').length === 0) return;
    if (decl.keyword !== 'prompt' && decl.keyword !== 'adapter' && decl.keyword !== 'head') return;
    const used = ctx.index.experts().some((e) => e.head === decl.name || e.modules.some((m) => m.name === decl.name));
    if (!used) ctx.report(Messages.UnusedModule, decl.entry.name.span, [decl.name]);
  },
});
