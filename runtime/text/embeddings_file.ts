/**
 * The initial weights of a text head (LPT++'s VL expert): one L2-normalised embedding per class,
 * a matrix [C, E] in label order. Two sources, told apart by the file's content:
 *  - a text encoder (format 'lpt-text-encoder-v1', e.g. weights/vl-fmnist-text.json): each class
 *    name goes through the head's template ("a photo of a {}") and the encoder;
 *  - precomputed embeddings: {"names"?: string[], "embeddings": number[][]} (e.g. CLIP text
 *    embeddings exported elsewhere); with names, the head's classnames pick and order the rows.
 * Any other source (a real CLIP text tower) only has to give the same [C, E] matrix.
 */
import { WeightsError } from '../weights/errors.ts';
import { encodeText, isTextEncoderDocument, parseTextEncoder } from './glove_encoder.ts';
import { isRecord, readJsonFile } from './word_vectors.ts';

export interface ClassEmbeddingRequest {
  /** Absolute path of the embeddings or encoder file. */
  readonly file: string;
  readonly classes: number;
  /** Class names in label order, or null to take the file's own names / row order. */
  readonly classnames: readonly string[] | null;
  readonly template: string;
  readonly embedDim: number;
}

export interface ClassEmbeddings {
  readonly rows: readonly Float32Array[];
  /** Where they came from, for the run's log. */
  readonly source: 'text-encoder' | 'precomputed';
}

export function fileClassEmbeddings(request: ClassEmbeddingRequest): ClassEmbeddings {
  const doc = readJsonFile(request.file);
  const result = isTextEncoderDocument(doc) ? fromEncoder(request, doc) : fromPrecomputed(request, doc);
  if (result.rows.length !== request.classes) {
    throw new WeightsError(
      'shape',
      request.file,
      `gives ${result.rows.length} class embeddings for ${request.classes} classes`,
    );
  }
  result.rows.forEach((row) => {
    if (row.length !== request.embedDim) {
      throw new WeightsError(
        'shape',
        request.file,
        `embeddings are ${row.length}-d but the head's embed_dim is ${request.embedDim}`,
      );
    }
  });
  return { rows: result.rows.map(unit), source: result.source };
}

function fromEncoder(request: ClassEmbeddingRequest, doc: Record<string, unknown>): ClassEmbeddings {
  if (request.classnames === null) {
    throw new WeightsError(
      'format',
      request.file,
      'is a text encoder: the head needs `classnames` to make class prompts',
    );
  }
  if (!request.template.includes('{}'))
    throw new WeightsError('format', request.file, `template '${request.template}' has no {}`);
  const encoder = parseTextEncoder(request.file, doc);
  return {
    rows: request.classnames.map((name) => encodeText(encoder, request.template.replace('{}', name))),
    source: 'text-encoder',
  };
}

function fromPrecomputed(request: ClassEmbeddingRequest, doc: unknown): ClassEmbeddings {
  if (!isRecord(doc) || !Array.isArray(doc.embeddings)) {
    throw new WeightsError(
      'format',
      request.file,
      'needs "embeddings" (a [classes][dim] matrix) or the text-encoder format',
    );
  }
  const rows = doc.embeddings.map((row: unknown, i) => {
    if (!Array.isArray(row) || !row.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new WeightsError('format', request.file, `embeddings row ${i} must be a list of finite numbers`);
    }
    return Float32Array.from(row as number[]);
  });
  const names = doc.names;
  if (names === undefined || request.classnames === null) return { rows, source: 'precomputed' };
  if (!Array.isArray(names) || names.length !== rows.length) {
    throw new WeightsError('format', request.file, '"names" must list one name per embeddings row');
  }
  const index = new Map(names.map((n, i) => [String(n), i]));
  return {
    rows: request.classnames.map((name) => {
      const i = index.get(name);
      if (i === undefined) throw new WeightsError('missing', request.file, `has no embedding for the class '${name}'`);
      return rows[i]!;
    }),
    source: 'precomputed',
  };
}

function unit(row: Float32Array): Float32Array {
  const norm = Math.max(Math.hypot(...row), 1e-12);
  return row.map((v) => v / norm);
}
