/** Pool query: a pool's query is a deep prompt on the same backbone as the pool. */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';
import { isRef } from '../values.ts';

export const QueryIsSharedPromptRule: Rule = (ctx) => ({
  Declaration(decl) {
    if (decl.call?.name !== 'pool') return;
    const query = decl.call.args.get('query')?.value;
    if (!isRef(query)) return;
    const target = ctx.index.decl(query.name);
    if (!target) return; // KnownReferencesRule
    const backbone = ctx.index.backboneOf(decl);
    if (ctx.index.kindOf(query.name) !== 'deep_prompt' || ctx.index.backboneOf(target) !== backbone) {
      ctx.report(Messages.QueryNotSharedPrompt, query.node.span, [query.name, backbone ?? '?']);
    }
  },
});
