import test from 'ava';
import { concat0, permute, reshape, transpose2d } from '../../../../runtime/weights/naming/layout.ts';
import type { Float32Tensor } from '../../../../runtime/weights/tensor.ts';

const iota = (shape: number[]): Float32Tensor => ({
  dtype: 'float32',
  shape,
  data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i),
});

test('transpose2d swaps rows and columns', (t) => {
  const out = transpose2d(iota([2, 3]));
  t.deepEqual(out.shape, [3, 2]);
  t.deepEqual([...out.data], [0, 3, 1, 4, 2, 5]);
});

test('permute [3, 2, 0, 1] turns HWIO into OIHW', (t) => {
  const hwio = iota([2, 3, 4, 5]);
  const oihw = permute(hwio, [3, 2, 0, 1]);
  t.deepEqual(oihw.shape, [5, 4, 2, 3]);
  const at = (s: readonly number[], idx: number[]) => idx.reduce((acc, v, k) => acc * s[k]! + v, 0);
  for (const [o, i, h, w] of [
    [0, 0, 0, 0],
    [4, 3, 1, 2],
    [2, 1, 0, 1],
    [3, 0, 1, 0],
  ] as const) {
    t.is(oihw.data[at(oihw.shape, [o, i, h, w])], hwio.data[at(hwio.shape, [h, w, i, o])]);
  }
});

test('reshape keeps the data and refuses a wrong size; concat0 stacks rows', (t) => {
  t.deepEqual(reshape(iota([6]), [2, 3]).shape, [2, 3]);
  t.throws(() => reshape(iota([6]), [4, 2]));
  const c = concat0([iota([1, 2]), iota([2, 2])]);
  t.deepEqual(c.shape, [3, 2]);
  t.deepEqual([...c.data], [0, 1, 0, 1, 2, 3]);
});
