/**
 * The `timm` naming scheme: timm's VisionTransformer state dict (e.g. Google's ImageNet-21k
 * ViT-B/16 as timm names it). The names are already canonical; this strips DDP/wrapper prefixes
 * (`module.`, `model.`) and drops the classifier (`head.*`, `fc_norm.*`, `pre_logits.*`), which a
 * frozen feature backbone does not use. timm's CLIP ports keep `norm_pre`; their QuickGELU and
 * eps 1e-5 are not visible in the names, so pass them as options (or use the `clip` scheme).
 */
import { canonicalBlockRules, canonicalRules } from './lpt.ts';
import type { NamingScheme } from './scheme.ts';

export const timmNaming: NamingScheme = {
  name: 'timm',
  description: "timm's VisionTransformer (module./model. prefixes stripped, classifier dropped)",
  blockPattern: /^blocks\.(\d+)\./,
  rules: canonicalRules,
  blockRules: canonicalBlockRules,
  prefixes: ['module.', 'model.'],
  ignore: [/^head\./, /^fc_norm\./, /^pre_logits\./],
};
