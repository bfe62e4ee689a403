/**
 * What a split's pipeline yields: its source, long-tail step and transforms, and the image size,
 * channels and class count when the source tells them (MNIST: 28x28x1, 10 classes).
 */
import type { Expression } from '../ast.ts';
import { sourceFacts } from '../spec/data.ts';
import { argOrDefault, numberArg } from './modelIndex.ts';
import type { TypedSplit } from './typed.ts';
import type { CallValue } from './values.ts';

export interface PipelineFacts {
  readonly source?: CallValue;
  readonly longtail?: CallValue;
  readonly transforms: readonly CallValue[];
  /** Final square image size, null when unknown (image folders without a crop). */
  readonly size: number | null;
  /** The stage that fixed the final size (or the source). */
  readonly sizeNode?: Expression;
  readonly channels: number | null;
  readonly classes: number | null;
}

export function pipelineFacts(split: TypedSplit): PipelineFacts {
  const calls = split.stages.map((s) => s.call).filter((c): c is CallValue => c !== undefined);
  const source = calls[0]?.spec.family === 'source' ? calls[0] : undefined;
  const longtail = calls.find((c) => c.spec.family === 'subsample');
  const transforms = calls.filter((c) => c.spec.family === 'transform');
  const facts = source ? sourceFacts(source.name, { labels: argOrDefault(source, 'labels') }) : { classes: null, size: null, channels: null };
  let size = facts.size;
  let sizeNode: Expression | undefined = source?.node;
  for (const t of transforms) {
    const s = numberArg(t, 'size');
    if (t.name === 'center_crop' || t.name === 'random_resized_crop' || (t.name === 'resize' && (size !== null || argOrDefault(t, 'square') === true))) {
      size = s ?? null;
      sizeNode = t.node;
    } else if (t.name === 'resize') {
      size = null; // shorter side only: the other side depends on each image
    }
  }
  return {
    transforms,
    size,
    channels: facts.channels,
    classes: facts.classes,
    ...(source ? { source } : {}),
    ...(longtail ? { longtail } : {}),
    ...(sizeNode ? { sizeNode } : {}),
  };
}
