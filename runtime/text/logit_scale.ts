/**
 * The logit scale of a text head that starts from a CLIP checkpoint: exp(logit_scale), the
 * temperature CLIP learned with its towers (100 for OpenAI's models, the clamp CLIP training hits).
 * Zero-shot predictions do not depend on it, but training does: the cosine logits are multiplied
 * by it before the loss, so the softmax is as sharp as CLIP's own. A file's `scale` overrides it.
 */
import { isAbsolute, resolve } from 'node:path';
import type { PlanHead } from '../../plan/plan.ts';
import { WeightsError } from '../weights/errors.ts';
import { readWeightFile } from '../weights/format.ts';

type TextHead = Extract<PlanHead, { kind: 'text' }>;

/** The scale the head's loss applies: the plan's number, or the checkpoint's exp(logit_scale). */
export function textHeadScale(head: TextHead, cwd = process.cwd()): number {
  if (head.scale !== 'checkpoint') return head.scale;
  if (head.encoder === null) throw new Error(`text head '${head.name}': a checkpoint scale needs an encoder`);
  const path = isAbsolute(head.encoder.weights) ? head.encoder.weights : resolve(cwd, head.encoder.weights);
  const { tensors } = readWeightFile(path, head.encoder.format);
  const name = ['logit_scale', 'module.logit_scale'].find((n) => tensors.has(n));
  const tensor = name === undefined ? undefined : tensors.get(name)!;
  if (tensor === undefined)
    throw new WeightsError(
      'missing',
      path,
      `holds no logit_scale, which text head '${head.name}' takes its scale from; write scale: N in text(...) (CLIP's is 100)`,
    );
  const value = tensor.dtype === 'float32' && tensor.data.length === 1 ? Math.exp(tensor.data[0]!) : NaN;
  if (!Number.isFinite(value) || value <= 0)
    throw new WeightsError('shape', path, 'is not one finite number (the log of the logit scale)', name);
  return value;
}
