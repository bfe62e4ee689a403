/** The bench's memory record counts each tensor buffer a step allocates once, views included once. */
import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { stepPeakBytes } from '../../bench/memory.ts';
import { useTestBackend } from '../helpers/backend.ts';

test.before(async () => {
  await useTestBackend();
});

test('peak bytes of a step: new buffers at their most, a reshape or clone of one not counted again', async (t) => {
  const kept = tf.ones([10]);
  const step = async () => {
    const a = tf.ones([1000]); // 4000 bytes
    const views = [tf.reshape(a, [10, 100]), a.clone(), tf.reshape(kept, [2, 5])];
    const b = tf.add(a, a); // 4000 more: 8000 at most
    tf.dispose([a, ...views]);
    const c = tf.mul(b, b); // a is gone: 8000 again
    tf.dispose([b, c]);
  };
  const n0 = tf.memory().numTensors;
  t.is(await stepPeakBytes(step), 8000);
  t.is(tf.memory().numTensors, n0);
  const engine = tf.engine() as unknown as Record<string, unknown>;
  t.false(Object.hasOwn(engine, 'trackTensor'), "the engine's own bookkeeping is restored");
  kept.dispose();
});
