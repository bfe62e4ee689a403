/**
 * The core of `lpt embed-text`: a file of texts -> a float32 .npy of L2-normalised CLIP text
 * embeddings [N, E], written atomically; with a template ensemble, each line's embedding is the
 * ensemble's (template_ensemble.ts), as a `text(templates: ...)` head computes it, and `cacheDir`
 * also stores it under the key that head looks up (text_cache.ts). Bad files raise WeightsError
 * or TextInputError naming the file (and tensor or line); the CLI prints the message.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend/init.ts';
import type { TextNaming, WeightFormat } from '../../plan/enums.ts';
import type { NativeAddonSettings } from '../model/kernels/native_addon.ts';
import type { Activation } from '../weights/naming/scheme.ts';
import { writeNpy } from '../weights/npy.ts';
import { embedTexts } from './embed_texts.ts';
import { loadTextWeights } from './load_text.ts';
import { describeTextConfig, type TextConfig } from './text_config.ts';
import { averageTemplates, ensembleTexts, readTemplates } from './template_ensemble.ts';
import { cacheKey, fileHash, writeCached } from './text_cache.ts';
import type { Float32Tensor } from '../weights/tensor.ts';
import { createTextEncoder, disposeTextEncoder } from './text_encoder.ts';
import { readTextLines } from './text_inputs.ts';

export interface EmbedFileOptions {
  readonly weights: string;
  readonly naming: TextNaming;
  readonly format?: WeightFormat;
  readonly heads?: number;
  readonly activation?: Activation;
  readonly texts: string;
  /** With one `{}` for the line; without a template each line is embedded as written. */
  readonly template?: string;
  /** A template ensemble instead of `template`: a list, or a file of one template per line. */
  readonly templates?: string | readonly string[];
  /** Also store the embeddings in this text-embedding cache folder, under a text head's key. */
  readonly cacheDir?: string;
  readonly output: string;
  readonly batchSize?: number;
  /** Backend preference; default: keep the current backend, or 'auto' when none is set. */
  readonly backend?: string;
  /** The native addon's settings (default: loaded where built). */
  readonly native?: NativeAddonSettings;
  readonly onNote?: (note: string) => void;
}

export interface EmbedFileResult {
  readonly config: TextConfig;
  readonly count: number;
  readonly backend: string;
  readonly seconds: number;
}

export async function embedTextFile(options: EmbedFileOptions): Promise<EmbedFileResult> {
  const started = performance.now();
  const note = options.onNote ?? (() => {});
  if (options.backend !== undefined || tf.engine().backendName == null) {
    const choice = await initBackend({
      preference: options.backend ?? 'auto',
      source: options.backend === undefined ? 'default' : '--backend',
      ...(options.native ? { native: options.native } : {}),
    });
    note(`backend ${choice.name}: ${choice.reason}`);
  }
  const templates =
    options.templates !== undefined
      ? readTemplates(options.templates, '--templates')
      : options.template !== undefined
        ? readTemplates([options.template], '--template')
        : ['{}'];
  const lines = readTextLines(options.texts);
  const loaded = loadTextWeights(options.weights, options);
  if (loaded.ignored.length > 0)
    note(
      `${options.weights}: ignored ${loaded.ignored.length} tensors outside the text tower (${loaded.ignored.slice(0, 3).join(', ')}${loaded.ignored.length > 3 ? ', ...' : ''})`,
    );
  const encoder = createTextEncoder(loaded.config, loaded.tensors);
  let embeddings: Float32Tensor;
  try {
    const each = await embedTexts(encoder, ensembleTexts(templates, lines), { batchSize: options.batchSize });
    embeddings = templates.length === 1 ? each : averageTemplates(each, templates.length);
  } finally {
    disposeTextEncoder(encoder);
  }
  writeNpy(options.output, embeddings);
  if (options.cacheDir !== undefined) {
    const key = cacheKey({
      weightsHash: fileHash(options.weights),
      naming: options.naming,
      activation: loaded.config.activation,
      templates,
      classes: lines,
    });
    const path = writeCached(options.cacheDir, key, embeddings, {
      weights: options.weights,
      naming: options.naming,
      templates,
      classes: lines.length,
      architecture: describeTextConfig(loaded.config),
    });
    note(`cached as ${path}: a text head with these weights, templates and class names finds it there`);
  }
  return {
    config: loaded.config,
    count: lines.length,
    backend: tf.getBackend(),
    seconds: (performance.now() - started) / 1000,
  };
}
