/**
 * The files a plan reads (data, backbone weights, text-head files), as one table: the preflight
 * check lists the missing ones, and a queue worker maps every one under its data root. A plan
 * field that names a file is added here and nowhere else.
 */
import type { Plan, PlanHead, PlanSource } from './plan.ts';

/** Rewrites one path; `what` says whose it is ("data split 'train'") for messages. */
export type PathMapper = (path: string, what: string) => string;

function mapSource(source: PlanSource, what: string, f: PathMapper): PlanSource {
  switch (source.kind) {
    case 'mnist':
    case 'fashion_mnist':
    case 'mnist_pairs':
      return { ...source, images: f(source.images, what), labels: f(source.labels, what) };
    case 'cifar10':
    case 'cifar100':
      return { ...source, files: source.files.map((p) => f(p, what)) };
    case 'image_folder':
      return { ...source, root: f(source.root, what) };
    case 'split_list':
      return { ...source, list: f(source.list, what), root: f(source.root, what) };
  }
}

/** A text head reads its embeddings file, or its encoder's checkpoint, its class-name file and its templates file. */
function mapHead(head: PlanHead, f: PathMapper): PlanHead {
  if (head.kind !== 'text') return head;
  const what = `text head '${head.name}'`;
  return {
    ...head,
    embeddings: head.embeddings === null ? null : f(head.embeddings, what),
    encoder: head.encoder === null ? null : { ...head.encoder, weights: f(head.encoder.weights, what) },
    classnames: typeof head.classnames === 'string' ? f(head.classnames, what) : head.classnames,
    templates: typeof head.templates === 'string' ? f(head.templates, what) : head.templates,
  };
}

/** The plan with every input path passed through `f` (in a fixed order: data, weights, heads). */
export function mapPlanInputs(plan: Plan, f: PathMapper): Plan {
  return {
    ...plan,
    data: {
      ...plan.data,
      splits: plan.data.splits.map((s) => ({ ...s, source: mapSource(s.source, `data split '${s.name}'`, f) })),
    },
    backbones: plan.backbones.map((b) =>
      b.weights
        ? { ...b, weights: { ...b.weights, path: f(b.weights.path, `the weights of backbone '${b.name}'`) } }
        : b,
    ),
    modules: { ...plan.modules, heads: plan.modules.heads.map((h) => mapHead(h, f)) },
  };
}

/** Every input path of the plan with whose it is. */
export function planInputs(plan: Plan): { readonly path: string; readonly what: string }[] {
  const found: { path: string; what: string }[] = [];
  mapPlanInputs(plan, (path, what) => {
    found.push({ path, what });
    return path;
  });
  return found;
}
