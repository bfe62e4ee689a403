/**
 * A text head's initial class weights from the plan: its class names (a list, a file with one
 * name per line, or the embeddings file's own), its template and its embeddings source, through
 * runtime/text/embeddings_file.ts (a file of embeddings, or the small GloVe encoder) or
 * runtime/text/class_embeddings.ts (a CLIP text tower). The result is the [C, E] matrix of L2-normalised class
 * embeddings a cosine head starts from.
 */
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { PlanHead } from '../../plan/plan.ts';
import type { Plan } from '../../plan/plan.ts';
import { cachedClassEmbeddings, classEmbeddings } from '../text/class_embeddings.ts';
import { fileClassEmbeddings } from '../text/embeddings_file.ts';
import { textEmbeddingCacheDir } from '../text/text_cache.ts';
import { readTextLines } from '../text/text_inputs.ts';
import { WeightsError } from '../weights/errors.ts';

type TextHead = Extract<PlanHead, { kind: 'text' }>;

export function textHeadClassnames(head: TextHead): readonly string[] | null {
  if (head.classnames === null || Array.isArray(head.classnames)) return head.classnames as readonly string[] | null;
  // One reader for class-name files (the encoder form uses it too): an empty line is an error
  // naming the file and line, not a silently dropped class.
  return readTextLines(head.classnames as string).map((l) => l.trim());
}

/** Computes (or finds in the cache) the class embeddings of the plan's text heads that name an encoder. */
export async function prepareTextHeads(plan: Plan): Promise<void> {
  const cacheDir = textEmbeddingCacheDir(resolve(plan.out));
  for (const head of plan.modules.heads)
    if (head.kind === 'text' && head.encoder !== null) await classEmbeddings(head, { cacheDir });
}

/** [C, E] class embeddings, L2-normalised; the caller disposes the tensor. */
export function textHeadInit(head: TextHead, outDir: string): tf.Tensor2D {
  if (head.encoder !== null) {
    // The encoder form: the CLIP text tower embeds the template for every class, cached on disk
    // under the run's output folder (runtime/text/text_cache.ts) by prepareTextHeads.
    const found = cachedClassEmbeddings(head, { cacheDir: textEmbeddingCacheDir(resolve(outDir)) });
    if (found === null)
      throw new Error(`text head '${head.name}': its class embeddings are not prepared (prepareTextHeads runs first)`);
    const { embeddings } = found;
    return tf.tensor2d(embeddings.data, [embeddings.shape[0]!, embeddings.shape[1]!]);
  }
  if (head.embeddings === null)
    throw new Error(`text head '${head.name}' has neither an embeddings file nor an encoder`);
  const classnames = textHeadClassnames(head);
  if (classnames !== null && classnames.length !== head.classes) {
    throw new WeightsError(
      'shape',
      typeof head.classnames === 'string' ? head.classnames : head.embeddings,
      `head '${head.name}' lists ${classnames.length} class names for ${head.classes} classes`,
    );
  }
  const { rows } = fileClassEmbeddings({
    file: resolve(head.embeddings),
    classes: head.classes,
    classnames,
    template: head.template,
    embedDim: head.embedDim,
  });
  return tf.tensor2d(
    rows.map((r) => Array.from(r)),
    [rows.length, head.embedDim],
  );
}
