/** One split per table: the one asked for, or each plan's first evaluated split, naming the others. */
import test from 'ava';
import type { RunResults, VariantResults } from '../../../plan/results.ts';
import { chooseSplit } from '../../../runtime/report/evaluated_split.ts';

const entry = (variant: string, planHash: string, split: string, overall: number): VariantResults => ({
  variant,
  planHash,
  split,
  trainableParams: 1,
  backboneParams: 10,
  accuracy: { overall, many: overall, medium: overall, few: overall },
  trainCounts: [],
  perClass: [],
});

// LPT evaluates val, then test; the zero-shot row only test.
const run: RunResults = {
  experiment: 'x',
  boundaries: 'b',
  variants: [entry('LPT', 'a', 'val', 60), entry('LPT', 'a', 'test', 55), entry('zero-shot', 'b', 'test', 20)],
};

test("by default each plan's first evaluated split, and the splits left out", (t) => {
  const choice = chooseSplit(run, undefined);
  if (!choice.ok) return t.fail(choice.message);
  t.deepEqual(
    choice.results.variants.map((v) => [v.variant, v.split]),
    [
      ['LPT', 'val'],
      ['zero-shot', 'test'],
    ],
  );
  t.deepEqual(choice.otherSplits, []);
});

test('a split asked for keeps its entries only and names the one left out', (t) => {
  const choice = chooseSplit(run, 'test');
  if (!choice.ok) return t.fail(choice.message);
  t.deepEqual(
    choice.results.variants.map((v) => [v.variant, v.accuracy.overall]),
    [
      ['LPT', 55],
      ['zero-shot', 20],
    ],
  );
  t.deepEqual(choice.otherSplits, ['val']);
  t.deepEqual(chooseSplit(run, 'train'), {
    ok: false,
    message: "no result on the split 'train' (evaluated: val, test)",
  });
});
