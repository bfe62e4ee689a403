/**
 * CLIP text-tower namings in the OpenAI layout, to the canonical text names (runtime/text/text_config.ts):
 *
 *   token_embedding.weight [V, W]            -> token_embedding
 *   positional_embedding [T, W]              -> pos_embed
 *   transformer.resblocks.{i}.*              -> blocks.{i}.* (as the visual `clip` naming)
 *   ln_final                                 -> norm
 *   text_projection [W, E]                   -> text_projection [E, W] (Linear layout)
 *
 * `clip`: OpenAI's state dict (the whole model; `visual.*`, `logit_scale` and the JIT archive's
 * integer entries are dropped). `open_clip`: open_clip's CLIP (the same names) and CustomTextCLIP
 * (the same under `text.`, with text_projection a Parameter [W, E] or a Linear [E, W] + bias).
 */
import { transpose2d } from '../layout.ts';
import { resblockRules } from '../clip.ts';
import { expectShape, type NameRule, type NamingScheme } from '../scheme.ts';
import type { NamedTensors } from '../../tensor.ts';

const openAiRules: readonly NameRule[] = [
  { canonical: 'token_embedding', sources: ['token_embedding.weight'] },
  { canonical: 'pos_embed', sources: ['positional_embedding'] },
  { canonical: 'norm.weight', sources: ['ln_final.weight'] },
  { canonical: 'norm.bias', sources: ['ln_final.bias'] },
];

const projectionParameter: NameRule = {
  canonical: 'text_projection',
  sources: ['text_projection'],
  convert: ([p], [name], fail) => {
    expectShape(p!, [null, null], name!, fail);
    return transpose2d(p!);
  },
  invert: (w) => [transpose2d(w)],
};

const shared = {
  blockPattern: /^transformer\.resblocks\.(\d+)\./,
  blockRules: resblockRules(''),
  hints: () => ({ layerNormEps: 1e-5 }),
} as const;

export const clipTextNaming: NamingScheme = {
  ...shared,
  name: 'clip',
  description: "OpenAI CLIP's state dict (token_embedding, transformer.resblocks, ln_final, text_projection)",
  rules: [...openAiRules, projectionParameter],
  prefixes: ['module.'],
  ignore: [/^visual\./, /^logit_scale$/, /^(input_resolution|context_length|vocab_size)$/],
  hints: () => ({ activation: 'quick_gelu', layerNormEps: 1e-5 }),
};

export const openClipTextNaming: NamingScheme = {
  ...shared,
  name: 'open_clip',
  description: "open_clip's CLIP (OpenAI names) or CustomTextCLIP (text.*); text_projection a Parameter or a Linear",
  rules: [
    ...openAiRules,
    { ...projectionParameter, optional: true },
    { canonical: 'text_projection', sources: ['text_projection.weight'], optional: true },
    { canonical: 'text_projection_bias', sources: ['text_projection.bias'], optional: true },
  ],
  prefixes: ['module.'],
  ignore: [/^visual\./, /^logit_(scale|bias)$/, /^attn_mask$/],
  prepare: dropTextPrefix,
};

/** CustomTextCLIP keeps the text tower under `text.`; without the prefix the table serves both. */
function dropTextPrefix(raw: NamedTensors): NamedTensors {
  if (!raw.has('text.token_embedding.weight')) return raw;
  return new Map(
    [...raw].map(([name, tensor]) => [name.startsWith('text.') ? name.slice('text.'.length) : name, tensor]),
  );
}
