/**
 * Stand-in checkpoints for `lpt run --smoke --synthetic`: random weights of the plan's declared
 * architecture, written under the declared naming and format by the naming tables read backwards
 * (runtime/weights/naming/from_canonical.ts). A CLIP checkpoint that a text head also reads gets the text tower
 * too (OpenAI's layout for the declared embedding width: width = embedding, 12 layers, heads of
 * 64, the shipped tokenizer's vocabulary, 77 tokens) and CLIP's logit_scale (ln 100).
 */
import type { TextNaming } from '../../plan/enums.ts';
import type { PlanBackbone, PlanWeights } from '../../plan/plan.ts';
import type { VitConfig } from '../model/vit_config.ts';
import { vitWeightShapes } from '../model/vit_weights.ts';
import { planVitConfig } from '../build/experts.ts';
import { clipVocabulary } from '../text/bpe.ts';
import { textWeightShapes, type TextConfig } from '../text/text_config.ts';
import { contextLength } from '../text/tokenizer.ts';
import { saveWeights } from '../weights/format.ts';
import { namingSchemes } from '../weights/naming/index.ts';
import { fromCanonical } from '../weights/naming/from_canonical.ts';
import { textNamingSchemes } from '../weights/naming/text/index.ts';
import type { NamedTensors } from '../weights/tensor.ts';
import { randomHostWeights } from './random_weights.ts';

/** The natural log of OpenAI CLIP's trained logit scale, 100. */
export const CLIP_LOG_LOGIT_SCALE = Math.log(100);

/** A text tower to write beside (or instead of) an image tower. */
export interface StandInTextTower {
  readonly naming: TextNaming;
  readonly embedDim: number;
}

/** The image tower of `backbone` (none for a text-only file), the text tower when asked, written to `path`. */
export function writeStandInWeights(
  path: string,
  weights: Pick<PlanWeights, 'format' | 'naming'>,
  backbone: PlanBackbone | null,
  text: StandInTextTower | null,
  seed: number,
): string[] {
  const tensors: NamedTensors = new Map();
  const described: string[] = [];
  if (backbone !== null) {
    const clip = weights.naming === 'clip';
    const config = standInVitConfig(backbone, clip, clip ? (text?.embedDim ?? null) : null);
    const canonical = randomHostWeights(vitWeightShapes(config), seed);
    for (const [name, t] of fromCanonical(namingSchemes[weights.naming], canonical, config.depth, config))
      tensors.set(name, t);
    described.push(
      `image tower ViT ${backbone.image} px, patch ${backbone.patch}, dim ${backbone.dim}, depth ${backbone.depth}${config.projectionDim === null ? '' : `, projection to ${config.projectionDim}`}`,
    );
  }
  if (text !== null) {
    const config = standInTextConfig(text.embedDim);
    const canonical = randomHostWeights(textWeightShapes(config), seed + 1);
    for (const [name, t] of fromCanonical(textNamingSchemes[text.naming], canonical, config.depth, config))
      tensors.set(name, t);
    if (text.naming !== 'hf')
      tensors.set('logit_scale', { dtype: 'float32', shape: [], data: Float32Array.of(CLIP_LOG_LOGIT_SCALE) });
    described.push(`text tower width ${config.width}, depth ${config.depth}, vocabulary ${config.vocabSize}`);
  }
  saveWeights(path, tensors, weights.format);
  return described;
}

/** The plan's architecture as the checkpoint shows it: CLIP's ln_pre and visual projection under `clip` naming. */
function standInVitConfig(b: PlanBackbone, clip: boolean, projectionDim: number | null): VitConfig {
  return { ...planVitConfig(b), preNorm: clip, projectionDim };
}

function standInTextConfig(embedDim: number): TextConfig {
  return {
    vocabSize: clipVocabulary().size,
    context: contextLength,
    width: embedDim,
    depth: 12,
    heads: Math.max(1, Math.round(embedDim / 64)),
    mlpDim: 4 * embedDim,
    embedDim,
    activation: 'quick_gelu',
    layerNormEps: 1e-5,
    projectionBias: false,
  };
}
