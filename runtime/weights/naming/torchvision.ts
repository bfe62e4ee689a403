/**
 * The `torchvision` naming scheme: torchvision.models.VisionTransformer's state dict.
 * Layouts already match PyTorch's; only the names differ. Older torchvision releases named the
 * MLP layers `mlp.linear_1`/`mlp.linear_2` instead of `mlp.0`/`mlp.3`; both are accepted.
 * The classifier (`heads.*`, including the optional pre_logits layer) is dropped.
 *
 *   conv_proj.weight|bias                         -> patch_embed.proj.weight|bias
 *   class_token [1, 1, D]                         -> cls_token
 *   encoder.pos_embedding [1, 1 + G*G, D]         -> pos_embed
 *   encoder.layers.encoder_layer_{i}.ln_1         -> blocks.{i}.norm1
 *     .self_attention.in_proj_weight|in_proj_bias -> .attn.qkv.weight|bias
 *     .self_attention.out_proj                    -> .attn.proj
 *     .ln_2                                       -> .norm2
 *     .mlp.0 / .mlp.3                             -> .mlp.fc1 / .mlp.fc2
 *   encoder.ln                                    -> norm
 */
import type { NamedTensors } from '../tensor.ts';
import type { NameRule, NamingScheme } from './scheme.ts';

const rename = (canonical: string, source: string): NameRule => ({ canonical, sources: [source] });
const layer = 'encoder.layers.encoder_layer_{i}';

const pairs: readonly (readonly [string, string])[] = [
  ['norm1', 'ln_1'],
  ['attn.proj', 'self_attention.out_proj'],
  ['norm2', 'ln_2'],
  ['mlp.fc1', 'mlp.0'],
  ['mlp.fc2', 'mlp.3'],
];

export const torchvisionNaming: NamingScheme = {
  name: 'torchvision',
  description: "torchvision's VisionTransformer (conv_proj, encoder.layers.encoder_layer_i, heads dropped)",
  blockPattern: /^encoder\.layers\.encoder_layer_(\d+)\./,
  rules: [
    rename('patch_embed.proj.weight', 'conv_proj.weight'),
    rename('patch_embed.proj.bias', 'conv_proj.bias'),
    rename('cls_token', 'class_token'),
    rename('pos_embed', 'encoder.pos_embedding'),
    rename('norm.weight', 'encoder.ln.weight'),
    rename('norm.bias', 'encoder.ln.bias'),
  ],
  blockRules: [
    ...pairs.flatMap(([canonical, source]) =>
      ['weight', 'bias'].map((p) => rename(`blocks.{i}.${canonical}.${p}`, `${layer}.${source}.${p}`)),
    ),
    rename('blocks.{i}.attn.qkv.weight', `${layer}.self_attention.in_proj_weight`),
    rename('blocks.{i}.attn.qkv.bias', `${layer}.self_attention.in_proj_bias`),
  ],
  prefixes: ['module.'],
  ignore: [/^heads\./],
  prepare: renameOldMlp,
};

/** torchvision < 0.13 names: mlp.linear_1 / mlp.linear_2. */
function renameOldMlp(raw: NamedTensors): NamedTensors {
  const out: NamedTensors = new Map();
  for (const [name, tensor] of raw)
    out.set(name.replace('.mlp.linear_1.', '.mlp.0.').replace('.mlp.linear_2.', '.mlp.3.'), tensor);
  return out;
}
