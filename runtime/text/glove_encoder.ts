/**
 * The small vision-language expert's text side (weights/vl-fmnist-text.json, trained by
 * scripts/pretrain/train_vl_fmnist.py): text(prompt) = W . mean_w unit(glove(w)), L2-normalised,
 * W [E, dimensions] without bias. The word vectors live in a separate file named by `words`,
 * relative to the encoder file.
 */
import { dirname, resolve } from 'node:path';
import { WeightsError } from '../weights/errors.ts';
import { isRecord, meanWordVector, readWordVectors, type WordVectors } from './word_vectors.ts';

export const TEXT_ENCODER_FORMAT = 'lpt-text-encoder-v1';

export interface TextEncoder {
  readonly file: string;
  readonly embedDim: number;
  /** [E][dimensions] */
  readonly projection: readonly Float32Array[];
  readonly normaliseWords: boolean;
  readonly vectors: WordVectors;
}

export function parseTextEncoder(file: string, doc: Record<string, unknown>): TextEncoder {
  if (doc.kind !== 'mean-word-vectors' || typeof doc.words !== 'string') {
    throw new WeightsError('format', file, 'needs kind \'mean-word-vectors\' and a "words" file');
  }
  const vectors = readWordVectors(resolve(dirname(file), doc.words));
  const rows = doc.projection;
  if (!Array.isArray(rows) || rows.length === 0)
    throw new WeightsError('format', file, '"projection" must be a non-empty matrix');
  const projection = rows.map((row: unknown, i) => {
    if (
      !Array.isArray(row) ||
      row.length !== vectors.dimensions ||
      !row.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw new WeightsError('format', file, `projection row ${i} needs ${vectors.dimensions} finite numbers`);
    }
    return Float32Array.from(row as number[]);
  });
  if (doc.embed_dim !== undefined && doc.embed_dim !== projection.length) {
    throw new WeightsError(
      'shape',
      file,
      `embed_dim ${String(doc.embed_dim)} but the projection has ${projection.length} rows`,
    );
  }
  return { file, embedDim: projection.length, projection, normaliseWords: doc.normalise_words === true, vectors };
}

export function isTextEncoderDocument(doc: unknown): doc is Record<string, unknown> {
  return isRecord(doc) && doc.format === TEXT_ENCODER_FORMAT;
}

/** The unit-length embedding [E] of one prompt. */
export function encodeText(encoder: TextEncoder, prompt: string): Float32Array {
  const mean = meanWordVector(encoder.vectors, prompt, encoder.normaliseWords);
  const out = Float32Array.from(encoder.projection, (row) => row.reduce((s, w, i) => s + w * mean[i]!, 0));
  const norm = Math.max(Math.hypot(...out), 1e-12);
  return out.map((v) => v / norm);
}
