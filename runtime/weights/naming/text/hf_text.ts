/**
 * Hugging Face `CLIPTextModelWithProjection` (or `CLIPModel`) naming of a CLIP text tower:
 *
 *   text_model.embeddings.token_embedding.weight [V, W]     -> token_embedding
 *   text_model.embeddings.position_embedding.weight [T, W]  -> pos_embed
 *   text_model.encoder.layers.{i}.layer_norm1|2             -> blocks.{i}.norm1|2
 *     .self_attn.q_proj, k_proj, v_proj (weight, bias)      -> .attn.qkv (stacked q, k, v)
 *     .self_attn.out_proj, .mlp.fc1, .mlp.fc2               -> .attn.proj, .mlp.fc1, .mlp.fc2
 *   text_model.final_layer_norm                             -> norm
 *   text_projection.weight [E, W] (Linear, no bias)         -> text_projection
 *
 * The vision tower of a CLIPModel, `logit_scale` and the position_ids buffer are dropped. The
 * activation is the config's hidden_act, which the weights do not show; every OpenAI port uses
 * quick_gelu, the default assumed here.
 */
import { concat0, split0 } from '../layout.ts';
import type { Float32Tensor } from '../../tensor.ts';
import type { NameRule, NamingScheme } from '../scheme.ts';

const layer = 'text_model.encoder.layers.{i}';
const renames: readonly (readonly [string, string])[] = [
  ['norm1', 'layer_norm1'],
  ['attn.proj', 'self_attn.out_proj'],
  ['norm2', 'layer_norm2'],
  ['mlp.fc1', 'mlp.fc1'],
  ['mlp.fc2', 'mlp.fc2'],
];

const blockRules: NameRule[] = [
  ...renames.flatMap(([canonical, source]) =>
    ['weight', 'bias'].map((p) => ({
      canonical: `blocks.{i}.${canonical}.${p}`,
      sources: [`${layer}.${source}.${p}`],
    })),
  ),
  ...['weight', 'bias'].map((p) => ({
    canonical: `blocks.{i}.attn.qkv.${p}`,
    sources: ['q_proj', 'k_proj', 'v_proj'].map((q) => `${layer}.self_attn.${q}.${p}`),
    convert: (parts: readonly Float32Tensor[]) => concat0(parts),
    invert: (qkv: Float32Tensor) => split0(qkv, 3),
  })),
];

export const hfTextNaming: NamingScheme = {
  name: 'hf',
  description: 'Hugging Face CLIPTextModelWithProjection / CLIPModel (text_model.*, text_projection.weight)',
  blockPattern: /^text_model\.encoder\.layers\.(\d+)\./,
  rules: [
    { canonical: 'token_embedding', sources: ['text_model.embeddings.token_embedding.weight'] },
    { canonical: 'pos_embed', sources: ['text_model.embeddings.position_embedding.weight'] },
    { canonical: 'norm.weight', sources: ['text_model.final_layer_norm.weight'] },
    { canonical: 'norm.bias', sources: ['text_model.final_layer_norm.bias'] },
    { canonical: 'text_projection', sources: ['text_projection.weight'] },
  ],
  blockRules,
  prefixes: ['module.'],
  ignore: [/^vision_model\./, /^visual_projection\./, /^logit_scale$/, /^text_model\.embeddings\.position_ids$/],
  hints: () => ({ activation: 'quick_gelu', layerNormEps: 1e-5 }),
};
