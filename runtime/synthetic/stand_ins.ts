/**
 * `lpt run --smoke --synthetic`: a stand-in for each input file the plans name and the disk
 * lacks (checkpoints, data, class names, templates, embeddings), written into the smoke run's
 * throwaway folder, never beside the user's files. The plans come back with those paths
 * replaced, and each stand-in is announced in one line. Inputs that exist are used as they are.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { rehashed } from '../../plan/hash.ts';
import { mapPlanInputs } from '../../plan/paths.ts';
import type { Plan, PlanHead, PlanSplit } from '../../plan/plan.ts';
import { UserError } from '../errors.ts';
import { createRng, normalArray } from '../train/rng.ts';
import {
  standInCount,
  standInImageSize,
  writeRandomImages,
  writeStandInCifar,
  writeStandInFolder,
  writeStandInList,
} from './stand_in_data.ts';
import { writeStandInWeights, type StandInTextTower } from './stand_in_weights.ts';

export interface StandIns {
  readonly plans: readonly Plan[];
  /** One line per stand-in: what it replaces and what it is. */
  readonly lines: readonly string[];
}

const SEED = 0;

export function standInMissingInputs(plans: readonly Plan[], runDir: string): StandIns {
  const folder = join(runDir, 'synthetic');
  const replaced = new Map<string, string>();
  /** Stand-in image folder -> the random images in its images/ folder. */
  const imageNames = new Map<string, string[]>();
  const lines: string[] = [];
  let made = 0;
  const fresh = (original: string) => join(folder, `${made++}-${basename(original) || 'input'}`);
  const missing = (path: string) => !replaced.has(path) && !existsSync(path);
  const standIn = (original: string, what: string, write: (path: string) => string) => {
    mkdirSync(folder, { recursive: true });
    const path = fresh(original);
    // A split list and its image root stand in together: one of them may exist.
    const why = existsSync(original) ? 'replaced with the rest of its split' : 'missing';
    lines.push(`synthetic: ${what}: ${write(path)}, for ${original} (${why})`);
    replaced.set(original, path);
    return path;
  };

  for (const plan of plans) {
    // Splits often share a data root: its images fit the largest size any split crops or resizes to.
    const fallback = plan.backbones[0]?.image ?? 224;
    const size = Math.max(...plan.data.splits.map((s) => standInImageSize(s, fallback)));
    for (const split of plan.data.splits) standInSplit(plan, split, size);
    for (const b of plan.backbones) {
      if (b.weights === null || !missing(b.weights.path)) continue;
      const text = textTowerIn(plan, b.weights.path);
      const { format, naming } = b.weights;
      standIn(b.weights.path, `the weights of backbone '${b.name}'`, (path) => {
        const parts = writeStandInWeights(path, b.weights!, b, text, SEED);
        return `random ${naming} ${format} weights (${parts.join('; ')}) in ${path}`;
      });
    }
    for (const head of plan.modules.heads) if (head.kind === 'text') standInTextHead(plan, head);
  }
  return { plans: plans.map((p) => rehashed(mapPlanInputs(p, (path) => replaced.get(path) ?? path))), lines };

  function standInSplit(plan: Plan, split: PlanSplit, size: number): void {
    const source = split.source;
    const what = `data split '${split.name}'`;
    const training = split.name === 'train';
    switch (source.kind) {
      case 'split_list': {
        if (!missing(source.list) && !missing(source.root)) return;
        const classes = source.classes ?? plan.classes;
        const root = replaced.get(source.root) ?? standInImages(source.root, what, size);
        standIn(source.list, what, (path) => {
          const n = writeStandInList(path, imagesIn(root), classes, training);
          return `a split list of ${n} lines over ${classes} classes naming random images, ${path}`;
        });
        return;
      }
      case 'image_folder': {
        if (!missing(source.root)) return;
        const classes = source.classes ?? plan.classes;
        standIn(source.root, what, (path) => {
          const images = writeRandomImages(`${path}.images`, size, SEED);
          const n = writeStandInFolder(path, `${path}.images`, images, classes, training);
          return `an image folder of ${classes} classes, ${n} images (hard links to ${images.length} random ${size} x ${size} px images in ${path}.images), ${path}`;
        });
        return;
      }
      case 'cifar10':
      case 'cifar100': {
        const variant = source.kind === 'cifar10' ? 10 : 100;
        const need = split.longtail?.max ?? standInCount(0, source.classes, training);
        const perFile = Math.ceil(need / source.files.length);
        for (const file of source.files.filter(missing))
          standIn(file, what, (path) => {
            const n = writeStandInCifar(path, variant, source.classes, perFile, training, SEED);
            return `CIFAR-${variant} binary records, ${n} random 32 px images (${perFile} per class), ${path}`;
          });
        return;
      }
      case 'mnist':
      case 'fashion_mnist':
        if ([source.images, source.labels].some(missing))
          throw new UserError(
            `--synthetic has no stand-in for ${source.kind} IDX files; ${what} needs ${source.images}`,
            {
              file: plan.source,
            },
          );
    }
  }

  /** A folder holding images/0.png ... for the split lists under one data root. */
  function standInImages(original: string, what: string, size: number): string {
    return standIn(original, what, (path) => {
      const names = writeRandomImages(join(path, 'images'), size, SEED);
      imageNames.set(path, names);
      return `${names.length} random ${size} x ${size} px images in ${path}`;
    });
  }

  function imagesIn(root: string): string[] {
    return imageNames.get(root) ?? [];
  }

  /** A CLIP text tower the plan's text heads read from `path`, if any. */
  function textTowerIn(plan: Plan, path: string): StandInTextTower | null {
    const head = plan.modules.heads.find((h) => h.kind === 'text' && h.encoder?.weights === path);
    return head?.kind === 'text' && head.encoder !== null
      ? { naming: head.encoder.naming, embedDim: head.embedDim }
      : null;
  }

  function standInTextHead(plan: Plan, head: Extract<PlanHead, { kind: 'text' }>): void {
    const what = `text head '${head.name}'`;
    const encoder = head.encoder;
    if (encoder !== null && missing(encoder.weights)) {
      const text = { naming: encoder.naming, embedDim: head.embedDim };
      standIn(encoder.weights, what, (path) => {
        const parts = writeStandInWeights(path, { format: encoder.format, naming: 'clip' }, null, text, SEED);
        return `random ${encoder.naming} ${encoder.format} weights (${parts.join('; ')}) in ${path}`;
      });
    }
    if (typeof head.classnames === 'string' && missing(head.classnames)) {
      standIn(head.classnames, what, (path) => {
        writeFileSync(path, Array.from({ length: plan.classes }, (_, c) => `class ${c}\n`).join(''));
        return `${plan.classes} class names "class 0" ... "class ${plan.classes - 1}" in ${path}`;
      });
    }
    if (typeof head.templates === 'string' && missing(head.templates)) {
      standIn(head.templates, what, (path) => {
        writeFileSync(path, 'a photo of a {}.\n');
        return `the template "a photo of a {}." in ${path}`;
      });
    }
    if (head.embeddings !== null && missing(head.embeddings)) {
      standIn(head.embeddings, what, (path) => {
        writeFileSync(path, JSON.stringify({ embeddings: randomUnitRows(head.classes, head.embedDim) }));
        return `${head.classes} random unit class embeddings of width ${head.embedDim} in ${path}`;
      });
    }
  }
}

function randomUnitRows(rows: number, width: number): number[][] {
  const rng = createRng(SEED, 'synthetic-embeddings');
  return Array.from({ length: rows }, () => {
    const v = normalArray(rng, width);
    const norm = Math.hypot(...v);
    return Array.from(v, (x) => x / norm);
  });
}
