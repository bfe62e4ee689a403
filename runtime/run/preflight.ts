/**
 * Before a run starts: every file the plan reads must exist. Checking and compiling only warn
 * about missing paths (so paper-scale experiments check anywhere); running needs them, and says
 * which are missing before any work is done.
 */
import { existsSync } from 'node:fs';
import type { Plan, PlanHead, PlanSource } from '../../plan/plan.ts';

function sourcePaths(source: PlanSource): string[] {
  switch (source.kind) {
    case 'mnist':
    case 'fashion_mnist':
      return [source.images, source.labels];
    case 'cifar10':
    case 'cifar100':
      return [...source.files];
    case 'image_folder':
      return [source.root];
    case 'split_list':
      return [source.list, source.root];
  }
}

/** A text head reads its embeddings file, or its encoder's checkpoint and its class-name file. */
function textHeadPaths(head: PlanHead): { path: string; what: string }[] {
  if (head.kind !== 'text') return [];
  const paths = [head.embeddings, head.encoder?.weights ?? null, typeof head.classnames === 'string' ? head.classnames : null];
  return paths.filter((p): p is string => p !== null).map((path) => ({ path, what: `text head '${head.name}'` }));
}

/** One line per missing file: "experiments/x.lpt: data split 'train' needs data/foo (missing)". */
export function missingInputs(plan: Plan): string[] {
  const needed = [
    ...plan.data.splits.flatMap((s) => sourcePaths(s.source).map((path) => ({ path, what: `data split '${s.name}'` }))),
    ...plan.backbones.flatMap((b) => (b.weights ? [{ path: b.weights.path, what: `the weights of backbone '${b.name}'` }] : [])),
    ...plan.modules.heads.flatMap(textHeadPaths),
  ];
  return needed.filter((n) => !existsSync(n.path)).map((n) => `${plan.source}: ${n.what}: ${n.path} does not exist`);
}
