/**
 * The initial class weights of a `text` head in its encoder form: the L2-normalised CLIP text
 * embeddings [C, E] of `template` filled with each class name, in label order. Computed once by
 * the text tower of the head's checkpoint and cached on disk (text_cache.ts), so a second run or
 * a resumed one reads them back. Bad inputs raise TextInputError or WeightsError naming the file.
 * Computing reads the tower's output asynchronously (the webgpu backend has no synchronous read
 * in Node), so a run computes them before it builds its model (runtime/build/text_head.ts), and the
 * synchronous model building reads them from the cache.
 */
import { isAbsolute, resolve } from 'node:path';
import type { PlanHead } from '../../plan/plan.ts';
import type { Float32Tensor } from '../weights/tensor.ts';
import { embedTexts } from './embed_texts.ts';
import { loadTextWeights } from './load_text.ts';
import { describeTextConfig } from './text_config.ts';
import { createTextEncoder, disposeTextEncoder } from './text_encoder.ts';
import { applyTemplate, checkTemplate, readTextLines, TextInputError } from './text_inputs.ts';
import { cacheKey, cachePath, fileHash, readCached, writeCached } from './text_cache.ts';

export type TextHead = Extract<PlanHead, { kind: 'text' }>;

export interface ClassEmbeddingOptions {
  /** Cache folder (see textEmbeddingCacheDir). */
  readonly cacheDir: string;
  /** Plan paths are relative to this folder (default: the process's working directory). */
  readonly cwd?: string;
  readonly onNote?: (note: string) => void;
}

export interface ClassEmbeddings {
  /** [C, E], rows of unit length, row c for label c. */
  readonly embeddings: Float32Tensor;
  readonly fromCache: boolean;
  /** The cache entry read or written. */
  readonly path: string;
}

interface Lookup {
  readonly weights: string;
  readonly names: readonly string[];
  readonly key: string;
  readonly cached: ClassEmbeddings | null;
}

function lookUp(head: TextHead, options: ClassEmbeddingOptions): Lookup {
  const encoder = head.encoder;
  if (encoder === null) throw new Error(`text head '${head.name}' has no encoder (its embeddings come from a file)`);
  const at = (p: string) => (isAbsolute(p) ? p : resolve(options.cwd ?? process.cwd(), p));
  const weights = at(encoder.weights);
  const names = classNames(head, at);
  checkTemplate(head.template, `text head '${head.name}'`);
  const key = cacheKey({
    weightsHash: fileHash(weights),
    naming: encoder.naming,
    activation: encoder.act,
    template: head.template,
    classes: names,
  });
  const found = readCached(options.cacheDir, key, head.classes);
  if (found) checkWidth(head, found.shape[1]!, weights);
  const cached = found ? { embeddings: found, fromCache: true, path: cachePath(options.cacheDir, key) } : null;
  return { weights, names, key, cached };
}

/** The class embeddings when the cache holds them, else null (no computation: this one is synchronous). */
export function cachedClassEmbeddings(head: TextHead, options: ClassEmbeddingOptions): ClassEmbeddings | null {
  return lookUp(head, options).cached;
}

export async function classEmbeddings(head: TextHead, options: ClassEmbeddingOptions): Promise<ClassEmbeddings> {
  const { weights, names, key, cached } = lookUp(head, options);
  if (cached) return cached;
  const encoder = head.encoder!;
  const loaded = loadTextWeights(weights, { naming: encoder.naming, format: encoder.format, activation: encoder.act });
  checkWidth(head, loaded.config.embedDim, weights);
  const started = performance.now();
  const model = createTextEncoder(loaded.config, loaded.tensors);
  let embeddings: Float32Tensor;
  try {
    embeddings = await embedTexts(model, applyTemplate(head.template, names));
  } finally {
    disposeTextEncoder(model);
  }
  const seconds = (performance.now() - started) / 1000;
  const path = writeCached(options.cacheDir, key, embeddings, {
    weights,
    naming: encoder.naming,
    template: head.template,
    classes: names.length,
    architecture: describeTextConfig(loaded.config),
  });
  options.onNote?.(
    `text head '${head.name}': embedded ${names.length} class names with ${describeTextConfig(loaded.config)} in ${seconds.toFixed(1)} s; cached as ${path}`,
  );
  return { embeddings, fromCache: false, path };
}

function classNames(head: TextHead, at: (p: string) => string): string[] {
  const given = head.classnames;
  if (given === null)
    throw new TextInputError(`text head '${head.name}': the encoder form needs the class names (classes: "file.txt")`);
  const file = typeof given === 'string' ? at(given) : null;
  const names = file === null ? [...given] : readTextLines(file);
  if (names.length !== head.classes) {
    const where = file ?? `text head '${head.name}'`;
    throw new TextInputError(
      `${where}: ${names.length} class names, but the experiment has ${head.classes} classes (one name per class, in label order)`,
    );
  }
  return names;
}

function checkWidth(head: TextHead, width: number, weights: string): void {
  if (width !== head.embedDim) {
    throw new TextInputError(
      `${weights}: the text tower gives ${width}-wide embeddings, but text head '${head.name}' has embed_dim ${head.embedDim}; write embed_dim: ${width}`,
    );
  }
}
