import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { withKernelSettings } from '../../../helpers/kernels.ts';
import { useTestBackend } from '../../../helpers/backend.ts';

test.before(async () => {
  await useTestBackend();
});

/** The same ops through the lean kernels and through tfjs's own; values, shapes and dtypes must agree. */
function bothWays(f: () => tf.Tensor | tf.Tensor[]) {
  const run = (copies: 'lean' | 'tfjs') =>
    withKernelSettings({ copies }, () => {
      const out = f();
      const list = Array.isArray(out) ? out : [out];
      const read = list.map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }));
      tf.dispose(list);
      return read;
    });
  return { lean: run('lean'), tfjs: run('tfjs') };
}

const x = () => tf.reshape(tf.range(0, 2 * 3 * 4 * 5, 1, 'float32'), [2, 3, 4, 5]);

const cases: Array<[string, () => tf.Tensor | tf.Tensor[]]> = [
  ['slice inner block', () => tf.slice(x(), [1, 1, 0, 2], [1, 2, 3, 2])],
  ['slice leading tokens', () => tf.slice(x(), [0, 0, 0, 0], [2, 2, 4, 5])],
  ['slice whole', () => tf.slice(x(), [0, 0, 0, 0], [-1, -1, -1, -1])],
  ['slice 1-D', () => tf.slice(tf.range(0, 10), [3], [4])],
  ['slice int32', () => tf.slice(tf.cast(x(), 'int32'), [0, 1, 1, 0], [2, 1, 2, 5])],
  ['slice bool', () => tf.slice(tf.greater(x(), 50), [1, 0, 0, 0], [1, 3, 4, 3])],
  ['slice empty', () => tf.slice(x(), [0, 0, 0, 0], [2, 0, 4, 5])],
  ['unstack axis 0', () => tf.unstack(x())],
  ['unstack axis 2', () => tf.unstack(x(), 2)],
  ['split even', () => tf.split(x(), 3, 1)],
  ['split sizes last axis', () => tf.split(x(), [1, 3, 1], 3)],
  ['tile batch', () => tf.tile(tf.reshape(tf.range(0, 6), [1, 2, 3]), [4, 1, 1])],
  ['tile every axis', () => tf.tile(tf.reshape(tf.range(0, 6, 1, 'int32'), [2, 3]), [2, 3])],
  ['clone', () => tf.clone(x())],
  ['cast same dtype', () => tf.cast(x(), 'float32')],
  ['cast int32 -> float32', () => tf.cast(tf.cast(x(), 'int32'), 'float32')],
];

for (const [name, f] of cases) {
  test(`lean wasm kernels equal tfjs's: ${name}`, (t) => {
    const { lean, tfjs } = bothWays(() => tf.tidy(f));
    t.deepEqual(lean, tfjs);
  });
}

test('a shared Identity / Cast keeps the data alive until the last owner is disposed; no tensors leak', (t) => {
  const n0 = tf.memory().numTensors;
  const a = tf.tensor1d([1, 2, 3]);
  const b = tf.clone(a);
  const c = tf.cast(a, 'float32');
  a.dispose();
  t.deepEqual(Array.from(b.dataSync()), [1, 2, 3]);
  b.dispose();
  t.deepEqual(Array.from(c.dataSync()), [1, 2, 3]);
  c.dispose();
  t.is(tf.memory().numTensors, n0);
});

test('lean kernels leave strings to tfjs', (t) => {
  const s = tf.tensor1d(['a', 'b', 'c', 'd'], 'string');
  const part = tf.slice(s, [1], [2]);
  t.deepEqual(part.arraySync(), ['b', 'c']);
  tf.dispose([s, part]);
});

test('the lean kernels are installed and switchable: a lean clone shares the data, a tfjs clone copies it', (t) => {
  const a = tf.tensor1d([1, 2, 3]);
  const lean = withKernelSettings({ copies: 'lean' }, () => tf.clone(a));
  const copied = withKernelSettings({ copies: 'tfjs' }, () => tf.clone(a));
  t.is(lean.dataId, a.dataId);
  t.not(copied.dataId, a.dataId);
  tf.dispose([a, lean, copied]);
});
