/** What results.json records of a finished plan: an entry per evaluated split, and for one seed of several its row and seed. */
import test from 'ava';
import type { Plan } from '../../../plan/plan.ts';
import { variantResults, variantName } from '../../../runtime/store/run_directory.ts';
import type { VariantResult } from '../../../runtime/run/run_plan.ts';

const val = {
  split: 'val',
  accuracy: { overall: 50, many: 60, medium: 50, few: 40 },
  boundaries: 'many: n>100, few: n<=20, medium: the rest',
  perClass: { total: [2, 2], correct: [1, 2] } as VariantResult['perClass'],
};
const outcome: VariantResult = {
  variant: 'LPT, seed=2',
  planHash: 'h',
  trainableParams: 10,
  backboneParams: 100,
  ...val,
  trainCounts: [3, 1],
  evaluations: [val],
  seconds: 1,
};
const plan = (extra: Partial<Plan>): Plan =>
  ({
    experiment: 'quickstart',
    variant: null,
    label: 'LPT',
    seed: 2,
    evaluation: [{ split: 'val' }],
    ...extra,
  }) as unknown as Plan;

test('one seed of several records its row and seed; every result records the split it was measured on', (t) => {
  const [seeded, ...more] = variantResults(outcome, plan({ replicateOf: 'LPT' }));
  t.is(more.length, 0);
  t.like(seeded, { variant: 'LPT, seed=2', split: 'val', row: 'LPT', seed: 2 });
  t.is(variantName(plan({ replicateOf: 'LPT' })), 'LPT, seed=2');
  const single = variantResults({ ...outcome, variant: 'LPT' }, plan({}))[0]!;
  t.is(single.split, 'val');
  t.false('row' in single || 'seed' in single);
  t.is(variantName(plan({})), 'LPT');
});

test('a plan with several evaluate blocks has one entry per split, the first block first', (t) => {
  const test_ = { ...val, split: 'test', accuracy: { overall: 40, many: 50, medium: 40, few: 30 } };
  const entries = variantResults({ ...outcome, evaluations: [val, test_] }, plan({}));
  t.deepEqual(
    entries.map((e) => [e.variant, e.planHash, e.split, e.accuracy.overall]),
    [
      ['LPT, seed=2', 'h', 'val', 50],
      ['LPT, seed=2', 'h', 'test', 40],
    ],
  );
  t.deepEqual(
    entries.map((e) => e.perClass.map((c) => c.correct)),
    [
      [1, 2],
      [1, 2],
    ],
  );
});
