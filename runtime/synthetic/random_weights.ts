/**
 * Random canonical weights on the host, as timm initialises a fresh model (unit LayerNorm
 * weights, zero biases, normal std 0.02 elsewhere), one seeded stream per tensor name: what
 * `lpt run --smoke --synthetic` writes where a checkpoint is missing. Only shapes matter for a
 * smoke run; these values keep the activations of a deep tower finite.
 */
import { isBias, isNormWeight } from '../model/init.ts';
import { createRng, normalArray } from '../train/rng.ts';
import { numel, type Float32Tensor, type FloatTensors } from '../weights/tensor.ts';

export function randomHostWeights(shapes: ReadonlyMap<string, readonly number[]>, seed: number): FloatTensors {
  const out: FloatTensors = new Map();
  for (const [name, shape] of shapes) out.set(name, randomTensor(name, shape, seed));
  return out;
}

function randomTensor(name: string, shape: readonly number[], seed: number): Float32Tensor {
  const n = numel(shape);
  const data = isNormWeight(name)
    ? new Float32Array(n).fill(1)
    : isBias(name)
      ? new Float32Array(n)
      : normalArray(createRng(seed, 'synthetic-weights', name), n, 0.02);
  return { dtype: 'float32', shape: [...shape], data };
}
