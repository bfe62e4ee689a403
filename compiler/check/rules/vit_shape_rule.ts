/** ViT shape: dim is divisible by heads and image by patch, so heads and the patch grid are whole. */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';
import { numberArg } from '../model_index.ts';
import { vitHeads } from '../../plan/params.ts';

export const VitShapeRule: Rule = (ctx) => ({
  Declaration(decl) {
    if (decl.call?.name !== 'vit') return;
    const call = decl.call;
    const dim = numberArg(call, 'dim');
    const image = numberArg(call, 'image');
    const patch = numberArg(call, 'patch');
    const heads = vitHeads(call.settings);
    if (dim !== undefined && heads !== undefined && dim % heads !== 0) {
      ctx.report(
        Messages.DimNotDivisibleByHeads,
        (call.args.get('heads') ?? call.args.get('dim'))?.node.value.span ?? call.node.span,
        [dim, heads],
      );
    }
    if (image !== undefined && patch !== undefined && image % patch !== 0) {
      ctx.report(
        Messages.ImageNotDivisibleByPatch,
        (call.args.get('patch') ?? call.args.get('image'))?.node.value.span ?? call.node.span,
        [image, patch],
      );
    }
  },
});
