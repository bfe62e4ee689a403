/** Seeded streams: reproducible, independent per key, with the right distributions. */
import test from 'ava';
import { createRng, deriveState, normalArray, permutation, shuffleInPlace } from '../../../runtime/train/rng.ts';

const draw = (seed: number, ...keys: (number | string)[]): number[] => {
  const rng = createRng(seed, ...keys);
  return Array.from({ length: 8 }, () => rng.int(1000));
};

test('the same seed and keys give the same stream', (t) => {
  t.deepEqual(draw(3, 'sampler', 5), draw(3, 'sampler', 5));
});

test('different seeds, keys or key order give different streams', (t) => {
  const base = draw(3, 'sampler', 5);
  t.notDeepEqual(draw(4, 'sampler', 5), base);
  t.notDeepEqual(draw(3, 'sampler', 6), base);
  t.notDeepEqual(draw(3, 'augment', 5), base);
  t.notDeepEqual(draw(3, 5, 'sampler'), base);
  t.notDeepEqual(deriveState(0, []), deriveState(0, [0]));
});

test('uniform draws have mean 1/2 and int(n) covers 0..n-1 evenly', (t) => {
  const rng = createRng(1, 'stats');
  const n = 20000;
  let sum = 0;
  const hits = new Array<number>(5).fill(0);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    t.true(u >= 0 && u < 1);
    sum += u;
    hits[rng.int(5)]!++;
  }
  t.true(Math.abs(sum / n - 0.5) < 0.01);
  for (const h of hits) t.true(Math.abs(h / n - 0.2) < 0.015, `bucket frequency ${h / n}`);
});

test('normal draws have the requested mean and standard deviation', (t) => {
  const x = normalArray(createRng(2, 'normal'), 20000, 1 / 3, 1);
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
  t.true(Math.abs(mean - 1) < 0.01);
  t.true(Math.abs(sd - 1 / 3) < 0.01);
});

test('permutations contain every index once; shuffles keep the elements', (t) => {
  const p = permutation(100, createRng(5));
  t.deepEqual(
    [...p].sort((a, b) => a - b),
    Array.from({ length: 100 }, (_, i) => i),
  );
  t.notDeepEqual(
    Array.from(p),
    Array.from({ length: 100 }, (_, i) => i),
  );
  const words = shuffleInPlace(['a', 'b', 'c', 'd', 'e', 'f'], createRng(6));
  t.deepEqual([...words].sort(), ['a', 'b', 'c', 'd', 'e', 'f']);
});

test('stream keys must be integers or strings', (t) => {
  t.throws(() => createRng(0, 1.5), { message: /safe integer/ });
});
