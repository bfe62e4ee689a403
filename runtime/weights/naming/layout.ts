/**
 * Layout conversions used by the naming tables, on float32 host tensors: transposes between
 * Linear [out, in] and Dense [in, out] kernels, HWIO -> OIHW convolution kernels, reshapes and
 * concatenation along the first axis. Plain loops: a checkpoint is converted once per load.
 */
import { numel, type Float32Tensor } from '../tensor.ts';

/** Permute the axes of a row-major tensor: output axis k is input axis perm[k]. */
export function permute(t: Float32Tensor, perm: readonly number[]): Float32Tensor {
  const rank = t.shape.length;
  const inStrides = new Array<number>(rank).fill(1);
  for (let a = rank - 2; a >= 0; a--) inStrides[a] = inStrides[a + 1]! * t.shape[a + 1]!;
  const shape = perm.map((p) => t.shape[p]!);
  const strides = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(t.data.length);
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let flat = 0; flat < out.length; flat++) {
    out[flat] = t.data[src]!;
    for (let a = rank - 1; a >= 0; a--) {
      src += strides[a]!;
      if (++index[a]! < shape[a]!) break;
      src -= strides[a]! * shape[a]!;
      index[a] = 0;
    }
  }
  return { dtype: 'float32', shape, data: out };
}

export function transpose2d(t: Float32Tensor): Float32Tensor {
  return permute(t, [1, 0]);
}

/** Same values, new shape (row-major order is unchanged). */
export function reshape(t: Float32Tensor, shape: readonly number[]): Float32Tensor {
  if (numel(shape) !== t.data.length) throw new Error(`reshape of ${t.data.length} values to [${shape.join(', ')}]`);
  return { dtype: 'float32', shape: [...shape], data: t.data };
}

/** Concatenate along axis 0; the trailing dimensions must agree (the caller checks). */
export function concat0(parts: readonly Float32Tensor[]): Float32Tensor {
  const data = new Float32Array(parts.reduce((n, p) => n + p.data.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p.data, at);
    at += p.data.length;
  }
  const first = parts[0]!.shape;
  return { dtype: 'float32', shape: [parts.reduce((n, p) => n + p.shape[0]!, 0), ...first.slice(1)], data };
}

/** The inverse of concat0: `parts` equal slices along axis 0. */
export function split0(t: Float32Tensor, parts: number): Float32Tensor[] {
  const rows = t.shape[0]! / parts;
  const size = t.data.length / parts;
  return Array.from({ length: parts }, (_, j) => ({
    dtype: 'float32' as const,
    shape: [rows, ...t.shape.slice(1)],
    data: t.data.slice(j * size, (j + 1) * size),
  }));
}

export function zeros(shape: readonly number[]): Float32Tensor {
  return { dtype: 'float32', shape: [...shape], data: new Float32Array(numel(shape)) };
}
