import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { nativeAddon } from '../../../../runtime/model/kernels/native_addon.ts';
import { withKernelSettings } from '../../../helpers/kernels.ts';
import { useTestBackend } from '../../../helpers/backend.ts';
import { maxAbsDiff } from '../../../helpers/fixtures.ts';
import { nativeTest } from '../../../helpers/native.ts';

test.before(async () => {
  await useTestBackend();
});

const r = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

interface Case {
  readonly a: number[];
  readonly b: number[];
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
  readonly bias?: number;
  readonly activation?: 'relu';
}

/** The product computed element by element on the host: batch broadcasting, transposes, bias. */
function hostProduct(a: tf.Tensor, b: tf.Tensor, c: Case, bias: tf.Tensor | null): number[] {
  const [ra, rb] = [a.rank, b.rank];
  const [m, k] = c.transposeA ? [a.shape[ra - 1]!, a.shape[ra - 2]!] : [a.shape[ra - 2]!, a.shape[ra - 1]!];
  const n = c.transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const [va, vb] = [a.dataSync(), b.dataSync()];
  const vbias = bias?.dataSync();
  const out: number[] = [];
  for (let s = 0; s < Math.max(batchA, batchB); s++) {
    const oa = (batchA === 1 ? 0 : s) * m * k;
    const ob = (batchB === 1 ? 0 : s) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = vbias ? vbias[j]! : 0;
        for (let p = 0; p < k; p++)
          sum += va[oa + (c.transposeA ? p * m + i : i * k + p)]! * vb[ob + (c.transposeB ? j * k + p : p * n + j)]!;
        out.push(c.activation === 'relu' ? Math.max(0, sum) : sum);
      }
    }
  }
  return out;
}

const cases: Array<[string, Case]> = [
  ['2-D', { a: [5, 7], b: [7, 3] }],
  ['transposeA', { a: [7, 5], b: [7, 3], transposeA: true }],
  ['transposeB', { a: [5, 7], b: [3, 7], transposeB: true }],
  ['both transposed, batched', { a: [4, 7, 5], b: [4, 3, 7], transposeA: true, transposeB: true }],
  ['4-D batch', { a: [2, 3, 5, 7], b: [2, 3, 7, 4] }],
  ['broadcast B over the batch', { a: [4, 5, 7], b: [7, 3] }],
  ['broadcast A over the batch', { a: [1, 5, 7], b: [4, 7, 3] }],
  ['inner dimension 0', { a: [3, 0], b: [0, 4] }],
  ['empty batch', { a: [0, 5, 7], b: [0, 7, 3] }],
  ['fused bias', { a: [6, 7], b: [7, 3], bias: 3 }],
  ['fused bias, transposeB (the wasm kernel gets this one wrong)', { a: [6, 7], b: [3, 7], bias: 3, transposeB: true }],
  ['fused relu (left to the wasm kernel)', { a: [6, 7], b: [7, 3], bias: 3, activation: 'relu' }],
];

for (const [name, c] of cases) {
  nativeTest(`native matMul equals the product computed on the host: ${name}`, (t) => {
    tf.tidy(() => {
      const a = r(c.a, 1);
      const b = r(c.b, 2);
      const bias = c.bias === undefined ? null : r([c.bias], 3);
      const product = withKernelSettings({ matmul: 'native' }, () =>
        bias === null && c.activation === undefined
          ? tf.matMul(a, b, c.transposeA, c.transposeB)
          : tf.fused.matMul({
              a,
              b,
              bias: bias ?? undefined,
              transposeA: c.transposeA,
              transposeB: c.transposeB,
              activation: c.activation,
            }),
      );
      t.true(maxAbsDiff(product.dataSync(), hostProduct(a, b, c, bias)) < 1e-4);
    });
  });
}

nativeTest('the native addon reports its BLAS (and a shape mismatch still fails loudly)', (t) => {
  const addon = nativeAddon()!;
  t.regex(addon.info().blas, /\S/);
  t.throws(() => tf.tidy(() => tf.matMul(r([2, 3], 1), r([4, 5], 2))));
});
