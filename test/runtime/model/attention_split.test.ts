import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { attentionCore } from '../../../runtime/model/attention.ts';
import { splitAttention } from '../../../runtime/model/attention_split.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { maxAbsDiff } from '../../helpers/fixtures.ts';

test.before(async () => {
  await useTestBackend();
});

/** The reference: full attention over all tokens, then the first `queries` rows; tfjs's own gradient. */
function reference(qkv: tf.Tensor, heads: number, queries: number): tf.Tensor {
  const [batch, tokens, width] = qkv.shape as [number, number, number];
  const hd = width / 3 / heads;
  const split = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [batch, tokens, heads, hd]), [0, 2, 1, 3]) as tf.Tensor4D;
  const [q, k, v] = tf.split(qkv, 3, -1);
  const out = attentionCore(split(q!), split(k!), split(v!));
  const merged = tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [batch, tokens, heads * hd]);
  return tf.slice(merged, [0, 0, 0], [batch, queries, heads * hd]);
}

for (const [batch, tokens, queries, heads, hd] of [
  [2, 5, 5, 2, 3],
  [3, 7, 7, 3, 4],
  [1, 1, 1, 1, 2],
  [2, 6, 4, 2, 3],
  [1, 5, 1, 1, 2],
] as const) {
  test(`split attention equals the batched form, values and gradient (B ${batch}, N ${tokens}, Q ${queries}, H ${heads}, hd ${hd})`, (t) => {
    const n0 = tf.memory().numTensors;
    tf.tidy(() => {
      const qkv = tf.randomNormal([batch, tokens, 3 * heads * hd], 0, 1, 'float32', 11);
      const dy = tf.randomNormal([batch, queries, heads * hd], 0, 1, 'float32', 12);
      t.true(maxAbsDiff(splitAttention(qkv, heads, queries), reference(qkv, heads, queries)) < 1e-5);
      const ours = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(splitAttention(x, heads, queries), dy)))(qkv);
      const theirs = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(reference(x, heads, queries), dy)))(qkv);
      t.true(maxAbsDiff(ours, theirs) < 1e-5);
    });
    t.is(tf.memory().numTensors, n0);
  });
}
