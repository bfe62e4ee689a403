/**
 * The `clip` naming scheme: OpenAI CLIP's visual tower (ViT variants), from a full CLIP state
 * dict (`visual.*`; the text tower is dropped) or a visual-only one (no `visual.` prefix).
 *
 *   visual.conv1.weight [D, C, P, P] (no bias)          -> patch_embed.proj.weight, bias = zeros [D]
 *   visual.class_embedding [D]                          -> cls_token [1, 1, D]
 *   visual.positional_embedding [1 + G*G, D]            -> pos_embed [1, 1 + G*G, D]
 *   visual.ln_pre                                       -> norm_pre
 *   visual.transformer.resblocks.{i}.ln_1               -> blocks.{i}.norm1
 *     .attn.in_proj_weight|in_proj_bias, .attn.out_proj -> .attn.qkv.weight|bias, .attn.proj
 *     .ln_2, .mlp.c_fc, .mlp.c_proj                     -> .norm2, .mlp.fc1, .mlp.fc2
 *   visual.ln_post                                      -> norm
 *   visual.proj [D, E]                                  -> head.weight [E, D] (Linear layout, no bias)
 *
 * CLIP's blocks use QuickGELU (x * sigmoid(1.702 x)) and LayerNorm eps 1e-5; this scheme reports
 * both as hints.
 */
import type { NamedTensors } from '../tensor.ts';
import { reshape, transpose2d, zeros } from './layout.ts';
import { expectShape, type NameRule, type NamingScheme } from './scheme.ts';

const rename = (
  canonical: string,
  source: string,
  convert?: NameRule['convert'],
  invert?: NameRule['invert'],
): NameRule =>
  convert
    ? { canonical, sources: [`visual.${source}`], convert, invert }
    : { canonical, sources: [`visual.${source}`] };
const block = 'transformer.resblocks.{i}';

const pairs: readonly (readonly [string, string])[] = [
  ['norm1', 'ln_1'],
  ['attn.proj', 'attn.out_proj'],
  ['norm2', 'ln_2'],
  ['mlp.fc1', 'mlp.c_fc'],
  ['mlp.fc2', 'mlp.c_proj'],
];

/** The rules of one CLIP residual block (nn.MultiheadAttention, c_fc/c_proj) under `prefix`. */
export function resblockRules(prefix: string): NameRule[] {
  const at = (canonical: string, source: string): NameRule => ({
    canonical: `blocks.{i}.${canonical}`,
    sources: [`${prefix}${block}.${source}`],
  });
  return [
    ...pairs.flatMap(([canonical, source]) => ['weight', 'bias'].map((p) => at(`${canonical}.${p}`, `${source}.${p}`))),
    at('attn.qkv.weight', 'attn.in_proj_weight'),
    at('attn.qkv.bias', 'attn.in_proj_bias'),
  ];
}

export const clipNaming: NamingScheme = {
  name: 'clip',
  description: "OpenAI CLIP's visual tower (visual.*; QuickGELU, LayerNorm eps 1e-5, ln_pre)",
  blockPattern: /^visual\.transformer\.resblocks\.(\d+)\./,
  rules: [
    rename('patch_embed.proj.weight', 'conv1.weight'),
    rename(
      'patch_embed.proj.bias',
      'conv1.weight',
      ([w], [name], fail) => {
        expectShape(w!, [null, null, null, null], name!, fail);
        return zeros([w!.shape[0]!]);
      },
      () => [null], // conv1 has no bias: its weight is the other rule's
    ),
    rename(
      'cls_token',
      'class_embedding',
      ([c], [name], fail) => {
        expectShape(c!, [null], name!, fail);
        return reshape(c!, [1, 1, c!.shape[0]!]);
      },
      (c) => [reshape(c, [c.shape[2]!])],
    ),
    rename(
      'pos_embed',
      'positional_embedding',
      ([p], [name], fail) => {
        expectShape(p!, [null, null], name!, fail);
        return reshape(p!, [1, ...p!.shape]);
      },
      (p) => [reshape(p, p.shape.slice(1))],
    ),
    rename('norm_pre.weight', 'ln_pre.weight'),
    rename('norm_pre.bias', 'ln_pre.bias'),
    rename('norm.weight', 'ln_post.weight'),
    rename('norm.bias', 'ln_post.bias'),
    {
      ...rename(
        'head.weight',
        'proj',
        ([p], [name], fail) => {
          expectShape(p!, [null, null], name!, fail);
          return transpose2d(p!);
        },
        (w) => [transpose2d(w)],
      ),
      optional: true,
    },
  ],
  blockRules: resblockRules('visual.'),
  prefixes: ['module.'],
  ignore: [/^(?!visual\.)/],
  prepare: addVisualPrefix,
  hints: () => ({ activation: 'quick_gelu', layerNormEps: 1e-5 }),
};

/** A visual-only state dict (no `visual.` anywhere) gets the prefix, so one table serves both. */
function addVisualPrefix(raw: NamedTensors): NamedTensors {
  if ([...raw.keys()].some((n) => n.startsWith('visual.'))) return raw;
  return new Map([...raw].map(([name, tensor]) => [`visual.${name}`, tensor]));
}
