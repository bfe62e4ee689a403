/**
 * The plan's data, made concrete: each split loaded from its source, long-tail subsampled when
 * the plan says so (the per-class counts are kept: they define the shot groups and the losses'
 * priors), with its transforms translated to the data stage's specs. A held-out validation split
 * and the train split it comes from read the same source and split it first (runtime/data/holdout.ts).
 */
import type { PlanSource, PlanSplit, PlanTransform } from '../../plan/plan.ts';
import { loadCifarBinary } from '../data/cifar.ts';
import type { Dataset } from '../data/dataset.ts';
import { loadImageFolder, loadSplitList } from '../data/files.ts';
import { loadIdxDataset } from '../data/idx.ts';
import { holdOut } from '../data/holdout.ts';
import { composePairs } from '../data/mnist_pairs.ts';
import { longTail } from '../data/longtail.ts';
import type { TransformSpec } from '../data/transforms.ts';

export interface PreparedSplit {
  readonly name: string;
  readonly dataset: Dataset;
  readonly transforms: readonly TransformSpec[];
  /** Images per class in this split (after subsampling). */
  readonly counts: Int32Array;
}

/** Image files decode to the channels the backbone takes (1: luminance, 3: RGB). */
function fileChannels(channels: number): 1 | 3 {
  if (channels !== 1 && channels !== 3)
    throw new Error(`image files decode to 1 or 3 channels, but the backbone takes ${channels}`);
  return channels;
}

async function loadPlanSource(source: PlanSource, channels: number): Promise<Dataset> {
  switch (source.kind) {
    case 'mnist':
    case 'fashion_mnist':
      return loadIdxDataset(
        { images: source.images, labels: source.labels },
        { classes: source.classes, name: source.kind },
      );
    case 'mnist_pairs': {
      const digits = await loadIdxDataset(
        { images: source.images, labels: source.labels },
        { classes: 10, name: source.images },
      );
      return composePairs(digits, { perClass: source.perClass, seed: source.seed });
    }
    case 'cifar10':
      return loadCifarBinary(source.files, { variant: 10 });
    case 'cifar100':
      return loadCifarBinary(source.files, { variant: 100, labelKind: source.labels });
    case 'image_folder':
      return loadImageFolder(source.root, { channels: fileChannels(channels) });
    case 'split_list':
      return loadSplitList(source.list, source.root, {
        channels: fileChannels(channels),
        ...(source.classes === null ? {} : { classes: source.classes }),
      });
  }
}

function toTransformSpec(t: PlanTransform, imageSize: number | null): TransformSpec {
  switch (t.kind) {
    case 'resize':
      return { kind: 'resize', size: t.square ? [t.size, t.size] : t.size };
    case 'center_crop':
      return { kind: 'centerCrop', size: t.size };
    case 'random_resized_crop':
      return { kind: 'randomResizedCrop', size: t.size, scale: t.scale, ratio: t.ratio };
    case 'pad_crop':
      if (imageSize === null) throw new Error('pad_crop needs the split to have a known image size');
      return { kind: 'padCrop', size: imageSize, padding: t.padding };
    case 'flip':
      return { kind: 'flip', p: t.p };
    case 'normalize':
      return { kind: 'normalize', mean: t.mean, std: t.std };
    case 'to_rgb':
      return { kind: 'toRgb' };
  }
}

/** Image files are decoded to the split's channels already, so `to_rgb` has nothing left to do for them. */
function decodesToChannels(source: PlanSource): boolean {
  return source.kind === 'image_folder' || source.kind === 'split_list';
}

export async function prepareSplit(split: PlanSplit): Promise<PreparedSplit> {
  const loaded = await loadPlanSource(split.source, split.channels);
  const full =
    split.holdout === null
      ? loaded
      : holdOut(loaded, split.holdout.perClass, split.holdout.seed, split.holdout.skip ?? 0)[
          split.holdout.keep === 'rest' ? 'rest' : 'heldOut'
        ];
  const transforms = split.transforms
    .filter((t) => t.kind !== 'to_rgb' || !decodesToChannels(split.source))
    .map((t) => toTransformSpec(t, split.imageSize));
  if (split.longtail === null) return { name: split.name, dataset: full, transforms, counts: full.counts };
  const { ratio, profile, seed } = split.longtail;
  const max = split.longtail.max ?? Math.max(...full.counts);
  const subsampled = longTail(full, { ratio, profile, seed, max });
  return { name: split.name, dataset: subsampled.dataset, transforms, counts: subsampled.counts };
}
