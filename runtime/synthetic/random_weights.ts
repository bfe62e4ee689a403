/**
 * Random canonical weights on the host, shaped as timm initialises a fresh model (unit LayerNorm
 * weights, zero biases, std 0.02 elsewhere), one seeded stream per tensor name: what `lpt run
 * --smoke --synthetic` writes where a checkpoint is missing. Only shapes matter for a smoke run;
 * these values keep the activations of a deep tower finite. Uniform rather than normal draws,
 * from a 32-bit generator: a ViT-B/16 and a CLIP are some 240 M values, which a per-value normal
 * draw takes minutes to make on a busy machine.
 */
import { isBias, isNormWeight } from '../model/init.ts';
import { createRng } from '../train/rng.ts';
import { numel, type Float32Tensor, type FloatTensors } from '../weights/tensor.ts';

const STD = 0.02;

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
      : uniformArray(n, STD, createRng(seed, 'synthetic-weights', name).int(2 ** 31));
  return { dtype: 'float32', shape: [...shape], data };
}

/** `n` draws, uniform on [-std * sqrt 3, std * sqrt 3] (standard deviation `std`), by mulberry32. */
function uniformArray(n: number, std: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  const half = std * Math.sqrt(3);
  let state = seed | 0;
  for (let i = 0; i < n; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let z = Math.imul(state ^ (state >>> 15), 1 | state);
    z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z;
    out[i] = (((z ^ (z >>> 14)) >>> 0) / 4294967296) * 2 * half - half;
  }
  return out;
}
