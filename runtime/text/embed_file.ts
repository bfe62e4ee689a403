/**
 * The core of `lpt embed-text`: a file of texts -> a float32 .npy of L2-normalised CLIP text
 * embeddings [N, E], written atomically. Bad files raise WeightsError or TextInputError naming
 * the file (and tensor or line); the CLI prints the message.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend/init.ts';
import type { TextNaming, WeightFormat } from '../../plan/enums.ts';
import type { Activation } from '../weights/naming/scheme.ts';
import { writeNpy } from '../weights/npy.ts';
import { embedTexts } from './embed_texts.ts';
import { loadTextWeights } from './load_text.ts';
import type { TextConfig } from './text_config.ts';
import { createTextEncoder, disposeTextEncoder } from './text_encoder.ts';
import { applyTemplate, checkTemplate, readTextLines } from './text_inputs.ts';

export interface EmbedFileOptions {
  readonly weights: string;
  readonly naming: TextNaming;
  readonly format?: WeightFormat;
  readonly heads?: number;
  readonly activation?: Activation;
  readonly texts: string;
  /** With one `{}` for the line; without a template each line is embedded as written. */
  readonly template?: string;
  readonly output: string;
  readonly batchSize?: number;
  /** Backend preference; default: keep the current backend, or 'auto' when none is set. */
  readonly backend?: string;
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
    });
    note(`backend ${choice.name}: ${choice.reason}`);
  }
  if (options.template !== undefined) checkTemplate(options.template, '--template');
  const lines = readTextLines(options.texts);
  const texts = options.template === undefined ? lines : applyTemplate(options.template, lines);
  const loaded = loadTextWeights(options.weights, options);
  if (loaded.ignored.length > 0)
    note(
      `${options.weights}: ignored ${loaded.ignored.length} tensors outside the text tower (${loaded.ignored.slice(0, 3).join(', ')}${loaded.ignored.length > 3 ? ', ...' : ''})`,
    );
  const encoder = createTextEncoder(loaded.config, loaded.tensors);
  try {
    writeNpy(options.output, await embedTexts(encoder, texts, { batchSize: options.batchSize }));
  } finally {
    disposeTextEncoder(encoder);
  }
  return {
    config: loaded.config,
    count: texts.length,
    backend: tf.getBackend(),
    seconds: (performance.now() - started) / 1000,
  };
}
