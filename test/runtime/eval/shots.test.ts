import test from 'ava';
import { shotAccuracy, shotCounts, shotGroupOf, describeBoundaries } from '../../../runtime/eval/shots.ts';

const paper = { many: { op: '>', value: 100 }, few: { op: '<=', value: 20 } } as const;

test('a class with exactly 20 training images is few under the LPT code boundaries', (t) => {
  t.is(shotGroupOf(20, paper), 'few');
  t.is(shotGroupOf(21, paper), 'medium');
  t.is(shotGroupOf(100, paper), 'medium');
  t.is(shotGroupOf(101, paper), 'many');
  t.is(shotGroupOf(20, { ...paper, few: { op: '<', value: 20 } }), 'medium');
});

test('group accuracy averages per-class accuracy; overall pools all test images', (t) => {
  const trainCounts = [500, 300, 50, 10];
  const perClass = { correct: [90, 40, 30, 0], total: [100, 50, 60, 10] };
  const acc = shotAccuracy(perClass, trainCounts, paper);
  t.is(acc.many, (90 + 80) / 2);
  t.is(acc.medium, 50);
  t.is(acc.few, 0);
  t.is(acc.overall, (100 * 160) / 220);
});

test('an empty group is NaN, counts and the description name the boundaries', (t) => {
  const acc = shotAccuracy({ correct: [1, 1], total: [2, 2] }, [500, 400], paper);
  t.true(Number.isNaN(acc.few));
  t.deepEqual(shotCounts([500, 50, 5, 20], paper), { many: 1, medium: 1, few: 2 });
  t.is(describeBoundaries(paper), 'many: n>100, few: n<=20, medium: the rest');
});
