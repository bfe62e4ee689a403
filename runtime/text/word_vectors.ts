/**
 * Word vectors for the small text encoder (weights/vl-words.json, extracted from GloVe by
 * scripts/pretrain/extract_word_vectors.py): {format: 'lpt-word-vectors-v1', dimensions, words:
 * {word: number[]}, skipped?: string[]}. Tokenisation matches scripts/pretrain/vl_vocabulary.py: lower case, split on
 * anything that is not a letter, digit, hyphen or apostrophe.
 */
import { readFileSync } from 'node:fs';
import { WeightsError } from '../weights/errors.ts';

export interface WordVectors {
  readonly file: string;
  readonly dimensions: number;
  readonly words: ReadonlyMap<string, Float32Array>;
  /** Words the source vocabulary lacks (GloVe via wink has no "a"); prompts ignore them. */
  readonly skipped: ReadonlySet<string>;
}

export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9'-]+/)
    .filter((t) => t.length > 0);
}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new WeightsError('io', file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new WeightsError('format', file, `is not valid JSON (${(error as Error).message})`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readWordVectors(file: string): WordVectors {
  const doc = readJsonFile(file);
  if (!isRecord(doc) || doc.format !== 'lpt-word-vectors-v1') {
    throw new WeightsError('format', file, "is not a word-vector file (expected format 'lpt-word-vectors-v1')");
  }
  const dimensions = doc.dimensions;
  if (!Number.isInteger(dimensions) || (dimensions as number) < 1 || !isRecord(doc.words)) {
    throw new WeightsError('format', file, 'needs a positive integer "dimensions" and an object "words"');
  }
  const words = new Map<string, Float32Array>();
  for (const [word, vector] of Object.entries(doc.words)) {
    if (
      !Array.isArray(vector) ||
      vector.length !== dimensions ||
      !vector.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw new WeightsError('format', file, `word '${word}' needs ${String(dimensions)} finite numbers`);
    }
    words.set(word, Float32Array.from(vector as number[]));
  }
  const skipped = doc.skipped ?? [];
  if (!Array.isArray(skipped) || !skipped.every((w) => typeof w === 'string'))
    throw new WeightsError('format', file, '"skipped" must be a list of words');
  return { file, dimensions: dimensions as number, words, skipped: new Set(skipped as string[]) };
}

/** Mean over the prompt's words of each word vector, unit-normalised first when asked. */
export function meanWordVector(vectors: WordVectors, prompt: string, normaliseWords: boolean): Float32Array {
  const tokens = tokenize(prompt).filter((t) => !vectors.skipped.has(t));
  if (tokens.length === 0) throw new WeightsError('format', vectors.file, `prompt '${prompt}' has no words`);
  const mean = new Float32Array(vectors.dimensions);
  for (const token of tokens) {
    const v = vectors.words.get(token);
    if (v === undefined) {
      throw new WeightsError(
        'missing',
        vectors.file,
        `has no vector for the word '${token}' (in the prompt '${prompt}'); ` +
          'add it with scripts/pretrain/extract_word_vectors.py',
      );
    }
    const norm = normaliseWords ? Math.max(Math.hypot(...v), 1e-12) : 1;
    for (let i = 0; i < v.length; i++) mean[i]! += v[i]! / norm / tokens.length;
  }
  return mean;
}
