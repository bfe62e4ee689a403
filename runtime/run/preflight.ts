/**
 * Before a run starts: every file the plan reads must exist. Checking and compiling only warn
 * about missing paths (so paper-scale experiments check anywhere); running needs them, and says
 * which are missing before any work is done.
 */
import { existsSync } from 'node:fs';
import type { Plan, PlanSource } from '../../plan/plan.ts';

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

/** One line per missing file: "experiments/x.lpt: data split 'train' needs data/foo (missing)". */
export function missingInputs(plan: Plan): string[] {
  const needed = [
    ...plan.data.splits.flatMap((s) => sourcePaths(s.source).map((path) => ({ path, what: `data split '${s.name}'` }))),
    ...plan.backbones.flatMap((b) => (b.weights ? [{ path: b.weights.path, what: `the weights of backbone '${b.name}'` }] : [])),
    ...plan.modules.heads.flatMap((h) =>
      h.kind !== 'text'
        ? []
        : [
            { path: h.embeddings, what: `the class embeddings of text head '${h.name}'` },
            ...(typeof h.classnames === 'string' ? [{ path: h.classnames, what: `the class names of text head '${h.name}'` }] : []),
          ],
    ),
  ];
  return needed.filter((n) => !existsSync(n.path)).map((n) => `${plan.source}: ${n.what}: ${n.path} does not exist`);
}
