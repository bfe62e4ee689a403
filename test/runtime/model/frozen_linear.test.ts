import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { applyFrozenLinear, disposeFrozenLinear, frozenLinearFromTorch } from '../../../runtime/model/frozen_linear.ts';
import { applyPatchEmbed, disposePatchEmbed, patchEmbedFromTorch } from '../../../runtime/model/patch_embed.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { maxAbsDiff } from '../../helpers/fixtures.ts';

test.before(async () => {
  await useTestBackend();
});

test('frozen linear: x W^T + b, and its custom input gradient equals autodiff of the plain form', (t) => {
  const w = tf.randomNormal([5, 3], 0, 1, 'float32', 1); // torch layout [out, in]
  const b = tf.randomNormal([5], 0, 1, 'float32', 2);
  const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 3);
  const dy = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 4);
  const p = frozenLinearFromTorch(w, b);
  t.false(p.weightIO.trainable);
  t.deepEqual(p.weightIO.shape, [3, 5]);
  t.deepEqual(p.weightOI.shape, [5, 3]);
  const plain = (v: tf.Tensor) => tf.add(tf.matMul(tf.reshape(v, [8, 3]), w, false, true), b);
  tf.tidy(() => {
    t.true(maxAbsDiff(tf.reshape(applyFrozenLinear(p, x), [8, 5]), plain(x)) < 1e-5);
    const ours = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(applyFrozenLinear(p, v), dy)))(x);
    const reference = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(plain(v), tf.reshape(dy, [8, 5]))))(x);
    t.true(maxAbsDiff(ours, reference) < 1e-5);
  });
  // the weights are not on the tape: asking for their gradient is an error, not a silent zero
  t.throws(() => tf.variableGrads(() => tf.sum(applyFrozenLinear(p, x)) as tf.Scalar, [p.weightIO]));
  tf.dispose([w, b, x, dy]);
  disposeFrozenLinear(p);
});

test('patch embedding as reshape + matMul equals the stride-P convolution', (t) => {
  const weight = tf.randomNormal([6, 2, 3, 3], 0, 1, 'float32', 5); // [D, C, P, P]
  const bias = tf.randomNormal([6], 0, 1, 'float32', 6);
  const x = tf.randomNormal([2, 2, 9, 6], 0, 1, 'float32', 7); // NCHW, 3x2 patches
  const p = patchEmbedFromTorch(weight, bias);
  tf.tidy(() => {
    const ours = applyPatchEmbed(p, x); // [B, 6, D]
    const filter = tf.transpose(weight, [2, 3, 1, 0]); // [P, P, C, D]
    const conv = tf.add(
      tf.conv2d(tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D, filter as tf.Tensor4D, 3, 'valid'),
      bias,
    ); // [B, 3, 2, D]
    t.deepEqual(ours.shape, [2, 6, 6]);
    t.true(maxAbsDiff(ours, tf.reshape(conv, [2, 6, 6])) < 1e-5);
  });
  tf.dispose([weight, bias, x]);
  disposePatchEmbed(p);
});
