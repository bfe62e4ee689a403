/** What results.json records of a finished plan: the evaluated split, and for one seed of several its row and seed. */
import test from 'ava';
import type { Plan } from '../../../plan/plan.ts';
import { variantResults, variantName } from '../../../runtime/store/run_directory.ts';
import type { VariantResult } from '../../../runtime/run/run_plan.ts';

const outcome: VariantResult = {
  variant: 'LPT, seed=2',
  planHash: 'h',
  trainableParams: 10,
  backboneParams: 100,
  accuracy: { overall: 50, many: 60, medium: 50, few: 40 },
  boundaries: 'many: n>100, few: n<=20, medium: the rest',
  trainCounts: [3, 1],
  perClass: { total: [2, 2], correct: [1, 2] } as VariantResult['perClass'],
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
  const seeded = variantResults(outcome, plan({ replicateOf: 'LPT' }));
  t.like(seeded, { variant: 'LPT, seed=2', split: 'val', row: 'LPT', seed: 2 });
  t.is(variantName(plan({ replicateOf: 'LPT' })), 'LPT, seed=2');
  const single = variantResults({ ...outcome, variant: 'LPT' }, plan({}));
  t.is(single.split, 'val');
  t.false('row' in single || 'seed' in single);
  t.is(variantName(plan({})), 'LPT');
});
