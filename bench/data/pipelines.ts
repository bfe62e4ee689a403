/** The benchmark's transforms at `size` px, torchvision's standard ones (see scripts/bench/torch_data.py). */
import type { TransformSpec } from '../../runtime/data/transforms.ts';

export type PipelineName = 'train' | 'test';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

export function pipeline(name: PipelineName, size = 224): TransformSpec[] {
  const normalize: TransformSpec = { kind: 'normalize', mean: MEAN, std: STD };
  if (name === 'train') return [{ kind: 'randomResizedCrop', size }, { kind: 'flip' }, normalize];
  return [{ kind: 'resize', size: Math.floor((size * 256) / 224) }, { kind: 'centerCrop', size }, normalize];
}
