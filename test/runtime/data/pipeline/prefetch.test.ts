/** Read-ahead: taking a key starts the next ones; values come back in order; failures surface when taken. */
import test from 'ava';
import { Prefetcher } from '../../../../runtime/data/pipeline/prefetch.ts';

function counting(fail?: number) {
  const started: number[] = [];
  const prefetcher = new Prefetcher<number, number>(
    async (k) => {
      started.push(k);
      if (k === fail) throw new Error(`load ${k} failed`);
      return k * 10;
    },
    (k) => k + 1,
    String,
    2,
  );
  return { started, prefetcher };
}

test('taking a key loads it, then starts the next two; the read-ahead is used, not loaded again', async (t) => {
  const { started, prefetcher } = counting();
  t.is(await prefetcher.take(0), 0);
  t.deepEqual(started, [0, 1, 2]);
  t.is(await prefetcher.take(1), 10);
  t.deepEqual(started, [0, 1, 2, 3]);
});

test('a jump (resume elsewhere) loads the new key and drops the stale read-ahead', async (t) => {
  const { started, prefetcher } = counting();
  await prefetcher.take(0);
  t.is(await prefetcher.take(7), 70);
  t.deepEqual(started, [0, 1, 2, 7, 8, 9]);
});

test('a failed read-ahead fails when it is taken, not before', async (t) => {
  const { prefetcher } = counting(2);
  t.is(await prefetcher.take(0), 0);
  t.is(await prefetcher.take(1), 10);
  await t.throwsAsync(prefetcher.take(2), { message: 'load 2 failed' });
});
