/**
 * CIFAR-10 / CIFAR-100 binary files (the "binary version" on Krizhevsky's page). Each record is
 * the label byte(s) then 3072 pixel bytes: the 32x32 red plane, then green, then blue, which is
 * already the [C, H, W] layout. CIFAR-10 records have one label byte; CIFAR-100 records have the
 * coarse label byte then the fine one.
 */
import type { Cifar100Labels, SourceSplit } from '../../plan/enums.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type InMemoryDataset, countPerClass } from './dataset.ts';
import { DataError } from './errors.ts';
import { readBytes } from './read.ts';

export type CifarVariant = 10 | 100;
export type CifarLabelKind = Cifar100Labels;
export type Split = SourceSplit;

const SIDE = 32;
const PIXELS = 3 * SIDE * SIDE;

export interface CifarOptions {
  readonly variant: CifarVariant;
  /** CIFAR-100 only: which of the two label bytes to use (default fine, 100 classes). */
  readonly labelKind?: CifarLabelKind;
  readonly classNames?: readonly string[];
  readonly name?: string;
}

function classCount(options: CifarOptions): number {
  if (options.variant === 10) return 10;
  return options.labelKind === 'coarse' ? 20 : 100;
}

/** Concatenates the records of `files` (in order) into one in-memory dataset. */
export async function loadCifarBinary(files: readonly string[], options: CifarOptions): Promise<InMemoryDataset> {
  const labelBytes = options.variant === 10 ? 1 : 2;
  const labelOffset = options.variant === 100 && options.labelKind !== 'coarse' ? 1 : 0;
  const record = labelBytes + PIXELS;
  const classes = classCount(options);
  const contents = await Promise.all(files.map((f) => readBytes(f)));
  contents.forEach((bytes, i) => {
    if (bytes.length === 0 || bytes.length % record !== 0) {
      throw new DataError(
        'format',
        files[i]!,
        `size ${bytes.length} is not a multiple of the CIFAR-${options.variant} record size ${record}`,
      );
    }
  });
  const n = contents.reduce((sum, b) => sum + b.length / record, 0);
  const images = new Uint8Array(n * PIXELS);
  const labels = new Int32Array(n);
  let at = 0;
  contents.forEach((bytes, f) => {
    for (let r = 0; r < bytes.length / record; r++, at++) {
      const label = bytes[r * record + labelOffset]!;
      if (label >= classes)
        throw new DataError('label', files[f]!, `record ${r} has label ${label}, not below ${classes}`);
      labels[at] = label;
      images.set(bytes.subarray(r * record + labelBytes, (r + 1) * record), at * PIXELS);
    }
  });
  return {
    kind: 'memory',
    name: options.name ?? files.map((f) => path.basename(f)).join('+'),
    images,
    shape: [3, SIDE, SIDE],
    labels,
    classes,
    counts: countPerClass(labels, classes),
    ...(options.classNames ? { classNames: options.classNames } : {}),
  };
}

/** The files of the official archives once extracted (cifar-10-batches-bin/, cifar-100-binary/). */
export function cifarFiles(dir: string, variant: CifarVariant, split: Split): string[] {
  if (variant === 100) return [path.join(dir, split === 'train' ? 'train.bin' : 'test.bin')];
  if (split === 'test') return [path.join(dir, 'test_batch.bin')];
  return [1, 2, 3, 4, 5].map((i) => path.join(dir, `data_batch_${i}.bin`));
}

/** Class names from the archive's label-name file, or undefined when it is absent. */
async function readClassNames(file: string): Promise<string[] | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    return text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
  } catch {
    return undefined;
  }
}

export async function loadCifar(
  dir: string,
  variant: CifarVariant,
  split: Split,
  labelKind: CifarLabelKind = 'fine',
): Promise<InMemoryDataset> {
  const namesFile = variant === 10 ? 'batches.meta.txt' : `${labelKind}_label_names.txt`;
  const names = await readClassNames(path.join(dir, namesFile));
  const options: CifarOptions = { variant, labelKind, name: `cifar${variant}:${split}` };
  const classes = classCount(options);
  return loadCifarBinary(cifarFiles(dir, variant, split), {
    ...options,
    ...(names && names.length === classes ? { classNames: names } : {}),
  });
}
