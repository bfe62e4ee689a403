/** Top-k within the pool: a prompt pool selects at most as many entries as it has. */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';
import { numberArg } from '../model_index.ts';

export const TopKWithinPoolRule: Rule = (ctx) => ({
  Declaration(decl) {
    if (decl.call?.name !== 'pool') return;
    const top = numberArg(decl.call, 'top');
    const size = numberArg(decl.call, 'size');
    if (top === undefined || size === undefined || top <= size) return;
    const at = decl.call.args.get('top') ?? decl.call.args.get('size');
    ctx.report(Messages.TopKExceedsPool, (at?.node.value ?? decl.call.node).span, [top, size]);
  },
});
