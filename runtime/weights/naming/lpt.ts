/**
 * The `lpt` naming scheme, which is the canonical naming every other scheme maps to: timm's
 * VisionTransformer names with PyTorch layouts (Linear weights [out, in], conv OIHW).
 *
 *   patch_embed.proj.weight [D, C, P, P]   patch_embed.proj.bias [D]
 *   cls_token [1, 1, D]                    pos_embed [1, 1 + G*G, D]
 *   norm_pre.weight|bias [D]               (optional; CLIP's ln_pre)
 *   blocks.{i}.norm1.weight|bias [D]       blocks.{i}.attn.qkv.weight [3D, D]   .attn.qkv.bias [3D]
 *   blocks.{i}.attn.proj.weight [D, D]     .attn.proj.bias [D]                 .norm2.weight|bias [D]
 *   blocks.{i}.mlp.fc1.weight [H, D]       .mlp.fc1.bias [H]                   .mlp.fc2.weight [D, H]  .mlp.fc2.bias [D]
 *   norm.weight|bias [D]                   head.weight [E, D] (optional; CLIP's visual projection, no bias)
 */
import type { NameRule, NamingScheme } from './scheme.ts';

const same = (name: string, optional = false): NameRule => ({ canonical: name, sources: [name], optional });

export const canonicalRules: readonly NameRule[] = [
  same('patch_embed.proj.weight'),
  same('patch_embed.proj.bias'),
  same('cls_token'),
  same('pos_embed'),
  same('norm_pre.weight', true),
  same('norm_pre.bias', true),
  same('norm.weight'),
  same('norm.bias'),
];

export const canonicalBlockSuffixes = [
  'norm1.weight',
  'norm1.bias',
  'attn.qkv.weight',
  'attn.qkv.bias',
  'attn.proj.weight',
  'attn.proj.bias',
  'norm2.weight',
  'norm2.bias',
  'mlp.fc1.weight',
  'mlp.fc1.bias',
  'mlp.fc2.weight',
  'mlp.fc2.bias',
] as const;

export const canonicalBlockRules: readonly NameRule[] = canonicalBlockSuffixes.map((s) => same(`blocks.{i}.${s}`));

export const lptNaming: NamingScheme = {
  name: 'lpt',
  description: "this project's names (timm names, PyTorch layouts)",
  blockPattern: /^blocks\.(\d+)\./,
  rules: [...canonicalRules, same('head.weight', true)],
  blockRules: canonicalBlockRules,
  prefixes: [],
  ignore: [],
};
