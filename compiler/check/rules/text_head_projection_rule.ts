/**
 * Text head projection: `projection` says how the backbone's feature reaches embed_dim, so it
 * needs an embed_dim that differs from the backbone's width; and the backbone's own projection
 * (`frozen`, the default then, or `tune`) needs a checkpoint whose naming can hold one (CLIP's
 * visual.proj, or lpt's head.weight): a timm, torchvision or npz file, or no file, has none.
 */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';
import { numberArg, stringArg } from '../model_index.ts';

const namingsWithProjection = new Set(['clip', 'lpt']);

export const TextHeadProjectionRule: Rule = (ctx) => ({
  Declaration(decl) {
    const call = decl.call;
    if (decl.keyword !== 'head' || call?.name !== 'text') return;
    const given = call.args.get('projection');
    const embedDim = call.args.get('embed_dim');
    const backbones = ctx.index
      .experts()
      .filter((e) => e.head === decl.name && e.backbone !== undefined)
      .map((e) => ({ name: e.backbone!, call: ctx.index.decl(e.backbone!)?.call }));
    for (const backbone of backbones) {
      const dim = backbone.call && numberArg(backbone.call, 'dim');
      const width = embedDim && typeof embedDim.value === 'number' ? embedDim.value : dim;
      if (dim === undefined || !backbone.call) continue;
      if (given && width === dim) {
        ctx.report(Messages.TextHeadProjection, given.node.value.span, [
          decl.name,
          `has \`projection\`, but its embed_dim equals the width ${dim} of backbone '${backbone.name}', so nothing is projected: remove it, or give embed_dim`,
        ]);
        continue;
      }
      const projection = stringArg(call, 'projection') ?? 'frozen';
      if (width === dim || projection === 'random') continue;
      const naming = stringArg(backbone.call, 'naming') ?? 'lpt';
      const file = backbone.call.args.has('weights') ? `a '${naming}' checkpoint` : 'a backbone without weights';
      if (!backbone.call.args.has('weights') || !namingsWithProjection.has(naming)) {
        ctx.report(Messages.TextHeadProjection, (given ?? embedDim)!.node.value.span, [
          decl.name,
          `classifies the own projection of backbone '${backbone.name}' (projection: ${projection}${given ? '' : ', the default when embed_dim differs'}), but ${file} has none: write \`projection: random\` for a new trainable one`,
        ]);
      }
    }
  },
});
