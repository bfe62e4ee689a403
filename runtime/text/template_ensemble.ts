/**
 * A template ensemble, as OpenAI's zero-shot ImageNet notebook builds it: every template filled
 * with every class name, each text embedding L2-normalised, averaged per class, normalised again.
 * Texts are class-major: class c, template t is text c * T + t.
 */
import type { Float32Tensor } from '../weights/tensor.ts';
import { applyTemplate, checkTemplate, readTextLines } from './text_inputs.ts';

/** The templates of a list (checked, `where` names it) or of a file of one template per line (checked per line). */
export function readTemplates(templates: string | readonly string[], where: string): string[] {
  if (typeof templates !== 'string') {
    templates.forEach((t) => checkTemplate(t, where));
    return [...templates];
  }
  const lines = readTextLines(templates);
  lines.forEach((t, i) => checkTemplate(t, `${templates}:${i + 1}`));
  return lines;
}

/** Every class name in every template, class-major. */
export function ensembleTexts(templates: readonly string[], names: readonly string[]): string[] {
  return names.flatMap((name) => templates.flatMap((template) => applyTemplate(template, [name])));
}

/** Normalised text embeddings [C * T, E], class-major -> class embeddings [C, E] of unit length. */
export function averageTemplates(embeddings: Float32Tensor, templates: number): Float32Tensor {
  const [rows, dim] = embeddings.shape as [number, number];
  const classes = rows / templates;
  const out = new Float32Array(classes * dim);
  const sum = new Float64Array(dim);
  for (let c = 0; c < classes; c++) {
    sum.fill(0);
    for (let t = 0; t < templates; t++) {
      const row = (c * templates + t) * dim;
      for (let j = 0; j < dim; j++) sum[j]! += embeddings.data[row + j]!;
    }
    const norm = Math.hypot(...sum);
    for (let j = 0; j < dim; j++) out[c * dim + j] = sum[j]! / norm;
  }
  return { dtype: 'float32', shape: [classes, dim], data: out };
}
