/**
 * What a split's pipeline yields: its source, long-tail step and transforms, and the image size,
 * channels and class count when the source tells them (MNIST: 28x28x1, 10 classes). A split whose
 * source is `holdout(...)` takes its images from the train split's source, so its facts are those
 * of that source when the train split is given.
 */
import type { Expression } from '../ast.ts';
import { sourceFacts } from '../spec/data.ts';
import type { TypedSplit } from './typed.ts';
import { isCallIn, type CallIn } from './typed_call.ts';

export type HoldoutCall = Extract<CallIn<'source'>, { readonly name: 'holdout' }>;

export interface PipelineFacts {
  /** For a held-out split: the train split's source. */
  readonly source?: CallIn<'source'>;
  /** The split's own `holdout(...)` call, when it is a held-out split. */
  readonly holdout?: HoldoutCall;
  readonly longtail?: CallIn<'subsample'>;
  readonly transforms: readonly CallIn<'transform'>[];
  /** Final square image size, null when unknown (image folders without a crop). */
  readonly size: number | null;
  /** The stage that fixed the final size (or the source). */
  readonly sizeNode?: Expression;
  /** Channels after the transforms (`to_rgb` makes 3), null when only the files can tell. */
  readonly channels: number | null;
  /** Channels the source yields, before any `to_rgb`. */
  readonly sourceChannels: number | null;
  readonly classes: number | null;
}

export function pipelineFacts(split: TypedSplit, train?: TypedSplit): PipelineFacts {
  const calls = split.stages.map((s) => s.call);
  const first = calls[0];
  const firstSource = isCallIn(first, 'source') ? first : undefined;
  const holdout = firstSource?.name === 'holdout' ? firstSource : undefined;
  const source = holdout ? (train && train !== split ? pipelineFacts(train).source : undefined) : firstSource;
  const longtail = calls.find((c) => isCallIn(c, 'subsample'));
  const transforms = calls.filter((c) => isCallIn(c, 'transform'));
  const facts = source
    ? sourceFacts(source.name, source.name === 'cifar100' ? source.settings.labels : undefined)
    : { classes: null, size: null, channels: null };
  let size = facts.size;
  let sizeNode: Expression | undefined = firstSource?.node;
  for (const t of transforms) {
    if (
      t.name === 'center_crop' ||
      t.name === 'random_resized_crop' ||
      (t.name === 'resize' && (size !== null || t.settings.square))
    ) {
      size = t.settings.size ?? null;
      sizeNode = t.node;
    } else if (t.name === 'resize') {
      size = null; // shorter side only: the other side depends on each image
    }
  }
  return {
    transforms,
    size,
    channels: transforms.some((t) => t.name === 'to_rgb') ? 3 : facts.channels,
    sourceChannels: facts.channels,
    classes: facts.classes,
    ...(source ? { source } : {}),
    ...(holdout ? { holdout } : {}),
    ...(longtail ? { longtail } : {}),
    ...(sizeNode ? { sizeNode } : {}),
  };
}
