/**
 * Loading a CLIP text tower: read the container, map the names (weights/naming/text), refuse a
 * file with no text tower or with missing tensors, infer the architecture from the shapes and
 * check every tensor against it; a disagreement names the tensor as the file calls it. Heads
 * cannot be seen in the shapes: given, else the file's `lpt.text_heads` metadata, else W/64
 * (OpenAI's and open_clip's rule), at least 1.
 */
import { WeightsError } from '../weights/errors.ts';
import type { TextNaming, WeightFormat } from '../../plan/enums.ts';
import { readWeightFile } from '../weights/format.ts';
import { toCanonicalText } from '../weights/naming/text/index.ts';
import type { Activation } from '../weights/naming/scheme.ts';
import { formatShape, sameShape, type FloatTensors } from '../weights/tensor.ts';
import { clipVocabulary } from './bpe.ts';
import { textWeightShapes, type TextConfig } from './text_config.ts';

export interface LoadTextOptions {
  readonly naming: TextNaming;
  readonly format?: WeightFormat;
  readonly heads?: number;
  /** Default: what the naming implies (QuickGELU for clip and hf), else GELU (open_clip's default). */
  readonly activation?: Activation;
}

export interface TextWeights {
  readonly config: TextConfig;
  /** Canonical names (text_config.ts), float32, PyTorch layouts. */
  readonly tensors: FloatTensors;
  /** Source names dropped on purpose (the visual tower, logit_scale). */
  readonly ignored: readonly string[];
}

export const textHeadsMetadataKey = 'lpt.text_heads';

export function loadTextWeights(path: string, options: LoadTextOptions): TextWeights {
  const file = readWeightFile(path, options.format);
  const mapped = toCanonicalText(file.tensors, options.naming, path);
  if (!mapped.tensors.has('token_embedding')) {
    const what = mapped.depth === 0 ? 'no token embedding, no text transformer blocks' : 'no token embedding';
    throw new WeightsError(
      'missing',
      path,
      `holds no CLIP text tower under '${options.naming}' naming (${what}); is it an image-only checkpoint?`,
    );
  }
  if (mapped.missing.length > 0) {
    throw new WeightsError(
      'missing',
      path,
      `lacks ${mapped.missing.length} text-tower tensor(s) that '${options.naming}' naming needs: ${mapped.missing
        .slice(0, 8)
        .map((n) => `'${n}'`)
        .join(', ')}`,
    );
  }
  if (mapped.unexpected.length > 0) {
    throw new WeightsError(
      'unexpected',
      path,
      `holds ${mapped.unexpected.length} tensor(s) that '${options.naming}' text naming does not use: ${mapped.unexpected
        .slice(0, 8)
        .map((n) => `'${n}'`)
        .join(', ')}`,
    );
  }
  const metadataHeads = file.metadata[textHeadsMetadataKey];
  const config = inferTextConfig(mapped.tensors, mapped.depth, path, (c) => (mapped.sources.get(c) ?? [c]).join(', '), {
    heads: options.heads ?? (metadataHeads === undefined ? undefined : Number(metadataHeads)),
    activation: options.activation ?? mapped.hints.activation ?? 'gelu',
    layerNormEps: mapped.hints.layerNormEps ?? 1e-5,
  });
  return { config, tensors: mapped.tensors, ignored: mapped.ignored };
}

interface Resolved {
  readonly heads: number | undefined;
  readonly activation: Activation;
  readonly layerNormEps: number;
}

function inferTextConfig(
  tensors: FloatTensors,
  depth: number,
  file: string,
  sourceName: (c: string) => string,
  resolved: Resolved,
): TextConfig {
  const fail = (canonical: string, problem: string) => new WeightsError('shape', file, problem, sourceName(canonical));
  const shape = (canonical: string) => tensors.get(canonical)!.shape;
  const embedding = shape('token_embedding');
  if (embedding.length !== 2)
    throw fail('token_embedding', `has shape ${formatShape(embedding)}; expected [vocab, width]`);
  const [vocabSize, width] = embedding as [number, number];
  const vocabNeeded = clipVocabulary().size;
  if (vocabSize < vocabNeeded)
    throw fail('token_embedding', `has ${vocabSize} rows; the CLIP tokenizer needs ${vocabNeeded}`);
  const pos = shape('pos_embed');
  if (pos.length !== 2 || pos[1] !== width)
    throw fail('pos_embed', `has shape ${formatShape(pos)}; expected [context, ${width}]`);
  if (depth < 1) throw new WeightsError('missing', file, 'holds no text transformer blocks');
  if (!tensors.has('text_projection'))
    throw new WeightsError('missing', file, 'has no text projection (text_projection)');
  const projection = shape('text_projection');
  if (projection.length !== 2) throw fail('text_projection', `has shape ${formatShape(projection)}; expected a matrix`);
  const heads = resolved.heads ?? Math.max(1, Math.floor(width / 64));
  if (!Number.isInteger(heads) || heads < 1 || width % heads !== 0) {
    throw new WeightsError('shape', file, `text heads ${heads} must be a positive divisor of the width ${width}`);
  }
  const config: TextConfig = {
    vocabSize,
    context: pos[0]!,
    width,
    depth,
    heads,
    mlpDim: shape('blocks.0.mlp.fc1.weight')[0] ?? 0,
    embedDim: projection[0]!,
    activation: resolved.activation,
    layerNormEps: resolved.layerNormEps,
    projectionBias: tensors.has('text_projection_bias'),
  };
  for (const [canonical, expected] of textWeightShapes(config)) {
    const actual = shape(canonical);
    if (!sameShape(actual, expected)) {
      throw fail(
        canonical,
        `has shape ${formatShape(actual)}, expected ${formatShape(expected)} (width ${width}, mlp ${config.mlpDim}, embed ${config.embedDim})`,
      );
    }
  }
  return config;
}
