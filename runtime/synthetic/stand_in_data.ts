/**
 * Stand-in data for `lpt run --smoke --synthetic`, in the layout the plan declares: an image
 * folder (a subfolder per class), a split list (its list file and the images it names) or CIFAR
 * binary files, filled with random images (CIFAR records repeat a few random ones too). A smoke run reads two steps and two evaluation
 * batches, so a handful of distinct images serves every split: list lines and folder entries
 * (hard links) repeat them, and the training split's classes get a long-tailed count (150 down
 * to 1 image per class) so that every shot group of the report has classes. iNaturalist's 8142
 * classes thus cost some 8 images and a list of lines, not millions of files.
 */
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { PlanSplit } from '../../plan/plan.ts';
import { createRng } from '../train/rng.ts';

/** Distinct random images per folder of stand-ins. */
const DISTINCT_IMAGES = 8;
/** The head class's training images; the tail has one. */
const HEAD_IMAGES = 150;
const CIFAR_SIDE = 32;

/** Images of class `c` of `classes` in a split: long-tailed for training, one otherwise. */
export function standInCount(c: number, classes: number, training: boolean): number {
  if (!training || classes === 1) return 1;
  return Math.max(1, Math.floor(HEAD_IMAGES * Math.pow(HEAD_IMAGES, -c / (classes - 1))));
}

/** The side of the images a split's transforms start from: the largest size they name, else `fallback`. */
export function standInImageSize(split: PlanSplit, fallback: number): number {
  const sizes = split.transforms.flatMap((t) => ('size' in t ? [t.size] : []));
  return sizes.length === 0 ? fallback : Math.max(...sizes);
}

/** `DISTINCT_IMAGES` random RGB PNGs of `size` x `size` in `dir`; their names. */
export function writeRandomImages(dir: string, size: number, seed: number): string[] {
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: DISTINCT_IMAGES }, (_, k) => {
    const rng = createRng(seed, 'synthetic-image', k);
    const png = new PNG({ width: size, height: size, colorType: 2 });
    for (let i = 0; i < png.data.length; i++) png.data[i] = (i & 3) === 3 ? 255 : rng.int(256);
    const name = `${k}.png`;
    writeFileSync(join(dir, name), PNG.sync.write(png, { colorType: 2 }));
    return name;
  });
}

/** A split list: one "images/k.png label" line per image of each class, naming images under `root`/images. */
export function writeStandInList(list: string, images: readonly string[], classes: number, training: boolean): number {
  const lines: string[] = [];
  for (const c of classOrder(classes, training))
    for (let j = 0; j < standInCount(c, classes, training); j++)
      lines.push(`images/${images[(c + j) % images.length]} ${c}`);
  writeFileSync(list, `${lines.join('\n')}\n`);
  return lines.length;
}

/**
 * The order of the classes in a file: label order for training; for an evaluated split 0, C/3,
 * 2C/3, 1, C/3 + 1, ... (the three thirds taking turns), so that the smoke's first evaluation
 * batches meet the head, the middle and the tail.
 */
function classOrder(classes: number, training: boolean): number[] {
  if (training) return Array.from({ length: classes }, (_, c) => c);
  const third = Math.ceil(classes / 3);
  const order: number[] = [];
  for (let i = 0; i < third; i++) for (let t = 0; t < 3; t++) if (t * third + i < classes) order.push(t * third + i);
  return order;
}

/** An image folder: root/class_NNNN/ with hard links to the distinct images in `imagesDir`. */
export function writeStandInFolder(
  root: string,
  imagesDir: string,
  images: readonly string[],
  classes: number,
  training: boolean,
): number {
  const width = String(classes - 1).length;
  let count = 0;
  for (let c = 0; c < classes; c++) {
    const dir = join(root, `class_${String(c).padStart(width, '0')}`);
    mkdirSync(dir, { recursive: true });
    for (let j = 0; j < standInCount(c, classes, training); j++, count++)
      linkSync(join(imagesDir, images[(c + j) % images.length]!), join(dir, `${j}.png`));
  }
  return count;
}

/**
 * A CIFAR binary file of `perClass` random 32x32 records per class (label bytes, then the red,
 * green and blue planes); CIFAR-100 records carry a coarse label (here the fine one / 5) first.
 */
export function writeStandInCifar(
  file: string,
  variant: 10 | 100,
  classes: number,
  perClass: number,
  training: boolean,
  seed: number,
): number {
  const labelBytes = variant === 10 ? 1 : 2;
  const record = labelBytes + 3 * CIFAR_SIDE * CIFAR_SIDE;
  const pixels = 3 * CIFAR_SIDE * CIFAR_SIDE;
  const rng = createRng(seed, 'synthetic-cifar');
  const distinct = Uint8Array.from({ length: DISTINCT_IMAGES * pixels }, () => rng.int(256));
  const bytes = new Uint8Array(classes * perClass * record);
  const order = classOrder(classes, training);
  for (let r = 0; r < classes * perClass; r++) {
    const label = order[r % classes]!;
    const at = r * record;
    if (variant === 100) bytes[at] = Math.floor(label / 5);
    bytes[at + labelBytes - 1] = label;
    const k = r % DISTINCT_IMAGES;
    bytes.set(distinct.subarray(k * pixels, (k + 1) * pixels), at + labelBytes);
  }
  writeFileSync(file, bytes);
  return classes * perClass;
}
