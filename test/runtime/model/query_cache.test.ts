import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { QueryCache, QueryCacheError } from '../../../runtime/model/query_cache.ts';
import { useTestBackend } from '../../helpers/backend.ts';

test.before(async () => {
  await useTestBackend();
});

/** A stand-in query pass: row i of the query of dataset index j is [j, j + 0.5]. */
function computeFor(calls: Int32Array[]) {
  return (m: { positions: Int32Array; indices: Int32Array }) => {
    calls.push(m.indices);
    const values = Array.from(m.indices).flatMap((j) => [j, j + 0.5]);
    return tf.tensor2d(values, [m.indices.length, 2]);
  };
}

test.serial(
  'query cache: computes only the missing queries, then serves them from the host in batch order',
  async (t) => {
    const n0 = tf.memory().numTensors;
    const cache = new QueryCache(10, 2);
    const calls: Int32Array[] = [];
    const first = await cache.lookup([3, 7], computeFor(calls));
    t.deepEqual(Array.from(first.dataSync()), [3, 3.5, 7, 7.5]);
    const second = await cache.lookup([7, 1, 3], computeFor(calls));
    t.deepEqual(Array.from(second.dataSync()), [7, 7.5, 1, 1.5, 3, 3.5]);
    t.deepEqual(
      calls.map((c) => Array.from(c)),
      [[3, 7], [1]],
    );
    t.deepEqual(cache.stats(), { hits: 2, misses: 3, stored: 3 });
    t.true(cache.has(1) && !cache.has(2));
    cache.clear();
    t.false(cache.has(1));
    tf.dispose([first, second]);
    t.is(tf.memory().numTensors, n0);
  },
);

test.serial(
  'query cache: bad indices and a wrong-shaped compute result are typed errors, and nothing leaks',
  async (t) => {
    const n0 = tf.memory().numTensors;
    const cache = new QueryCache(4, 2);
    await t.throwsAsync(cache.lookup([4], computeFor([])), { instanceOf: QueryCacheError, message: /outside 0\.\.3/ });
    await t.throwsAsync(
      cache.lookup([0], () => tf.zeros([1, 3])),
      { instanceOf: QueryCacheError, message: /expected \[1, 2\]/ },
    );
    t.false(cache.has(0));
    t.throws(() => new QueryCache(3, 0), { instanceOf: QueryCacheError });
    t.is(tf.memory().numTensors, n0);
  },
);
