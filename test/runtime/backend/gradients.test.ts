import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { ensureGradients } from '../../../runtime/backend/gradients.ts';
import { useTestBackend } from '../../helpers/backend.ts';

test.before(async () => {
  await useTestBackend();
});

test('tfjs-core gradients are registered, except Prod', async (t) => {
  const report = await ensureGradients();
  t.deepEqual(report.failed, []);
  for (const kernel of ['Erf', 'BatchMatMul', 'Softmax', 'Transpose', 'Concat', 'Slice', 'Mean', 'Rsqrt', 'Tile']) {
    t.truthy(tf.getGradient(kernel), kernel);
  }
  t.falsy(tf.getGradient('Prod'));
  t.is((await ensureGradients()).registered, report.registered, 'idempotent');
});

test('the registered Erf gradient is 2/sqrt(pi) exp(-x^2)', async (t) => {
  await ensureGradients();
  const x = tf.tensor1d([-1.5, -0.2, 0, 0.7, 2]);
  const g = tf.grad((v: tf.Tensor) => tf.sum(tf.erf(v)))(x);
  const expected = Array.from(x.dataSync(), (v) => (2 / Math.sqrt(Math.PI)) * Math.exp(-v * v));
  Array.from(g.dataSync()).forEach((v, i) => t.true(Math.abs(v - (expected[i] as number)) < 1e-5));
  tf.dispose([x, g]);
});
