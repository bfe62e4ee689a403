/**
 * Data sources by name, for the runtime: a DataSourceSpec (plain data, as a Plan carries it)
 * becomes a Dataset. Relative paths resolve against `baseDir` (the experiment file's folder).
 */
import type { Cifar100Labels, SourceSplit } from '../../plan/enums.ts';
import path from 'node:path';
import { loadCifar } from './cifar.ts';
import type { Dataset } from './dataset.ts';
import { loadImageFolder, loadSplitList } from './files.ts';
import { FASHION_MNIST_DIR, loadFashionMnist, loadIdxDataset, loadMnist } from './idx.ts';

export type Split = SourceSplit;

export type DataSourceSpec =
  | { readonly kind: 'mnist'; readonly split: Split }
  | { readonly kind: 'fashionMnist'; readonly split: Split; readonly dir?: string }
  | { readonly kind: 'idx'; readonly images: string; readonly labels: string; readonly classes?: number }
  | { readonly kind: 'cifar10'; readonly dir: string; readonly split: Split }
  | { readonly kind: 'cifar100'; readonly dir: string; readonly split: Split; readonly labels?: Cifar100Labels }
  | { readonly kind: 'imageFolder'; readonly root: string; readonly channels?: 1 | 3 }
  | {
      readonly kind: 'splitList';
      readonly list: string;
      readonly root: string;
      readonly classes?: number;
      readonly channels?: 1 | 3;
    };

export function loadSource(spec: DataSourceSpec, baseDir = process.cwd()): Promise<Dataset> {
  const at = (p: string): string => path.resolve(baseDir, p);
  switch (spec.kind) {
    case 'mnist':
      return loadMnist(spec.split);
    case 'fashionMnist':
      return loadFashionMnist(spec.split, spec.dir === undefined ? FASHION_MNIST_DIR : at(spec.dir));
    case 'idx':
      return loadIdxDataset(
        { images: at(spec.images), labels: at(spec.labels) },
        spec.classes === undefined ? {} : { classes: spec.classes },
      );
    case 'cifar10':
      return loadCifar(at(spec.dir), 10, spec.split);
    case 'cifar100':
      return loadCifar(at(spec.dir), 100, spec.split, spec.labels ?? 'fine');
    case 'imageFolder':
      return loadImageFolder(at(spec.root), spec.channels === undefined ? {} : { channels: spec.channels });
    case 'splitList':
      return loadSplitList(at(spec.list), at(spec.root), {
        ...(spec.classes === undefined ? {} : { classes: spec.classes }),
        ...(spec.channels === undefined ? {} : { channels: spec.channels }),
      });
  }
}
