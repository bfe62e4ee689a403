/** One rule for picking plans by name (lpt compile --variant, lpt run --variant). */
import test from 'ava';
import type { Plan } from '../../plan/plan.ts';
import { matchesName, selectByName } from '../../plan/variants.ts';
import { variantName } from '../../runtime/store/run_directory.ts';

const plan = (experiment: string, variant: { ablation: string; name: string } | null, label?: string): Plan =>
  ({
    experiment,
    variant,
    name: variant ? `${experiment}/${variant.ablation}/${variant.name}` : experiment,
    ...(label ? { label } : {}),
  }) as Plan;

const base = plan('quickstart', null, 'LPT');
const vpt = plan('quickstart', { ablation: 'baseline', name: 'VPT' });
const vpt2 = plan('quickstart', { ablation: 'other', name: 'VPT' });

test('a name matches a variant by name, qualified name or plan name, and the experiment by name or label', (t) => {
  for (const name of ['VPT', 'baseline/VPT', 'quickstart/baseline/VPT']) t.true(matchesName(vpt, name), name);
  for (const name of ['quickstart', 'LPT']) t.true(matchesName(base, name), name);
  t.false(matchesName(vpt, 'quickstart'));
  t.false(matchesName(base, 'VPT'));
});

test('selection refuses unknown and ambiguous names, listing the choices', (t) => {
  t.deepEqual(selectByName([base, vpt], 'VPT'), { ok: true, plans: [vpt] });
  const unknown = selectByName([base, vpt], 'nope');
  t.false(unknown.ok);
  if (!unknown.ok) t.regex(unknown.message, /no variant 'nope'\. Choices: "quickstart", "baseline\/VPT"/);
  const ambiguous = selectByName([base, vpt, vpt2], 'VPT');
  t.false(ambiguous.ok);
  if (!ambiguous.ok) t.regex(ambiguous.message, /ambiguous: "baseline\/VPT", "other\/VPT"/);
  t.deepEqual(selectByName([base, vpt, vpt2], 'other/VPT'), { ok: true, plans: [vpt2] });
});

test("the report's row name is the variant's name, else the experiment's label, else its name", (t) => {
  t.is(variantName(base), 'LPT');
  t.is(variantName(vpt), 'VPT');
  t.is(variantName(plan('quickstart', null)), 'quickstart');
});

test('the seeds of a row answer to the row name together and to their own names one by one', (t) => {
  const seeded = (p: Plan, seed: number, row: string): Plan =>
    ({
      ...p,
      seed,
      replicateOf: row,
      ...(p.variant ? { variant: { ...p.variant, name: `${p.variant.name}, seed=${seed}` } } : {}),
    }) as Plan;
  const plans = [seeded(base, 0, 'LPT'), seeded(base, 1, 'LPT'), seeded(vpt, 0, 'VPT'), seeded(vpt, 1, 'VPT')];
  const names = (wanted: string) => {
    const s = selectByName(plans, wanted);
    return s.ok ? s.plans.map(variantName) : s.message;
  };
  t.deepEqual(names('VPT'), ['VPT, seed=0', 'VPT, seed=1']);
  t.deepEqual(names('baseline/VPT'), ['VPT, seed=0', 'VPT, seed=1']);
  t.deepEqual(names('VPT, seed=1'), ['VPT, seed=1']);
  t.deepEqual(names('LPT'), ['LPT, seed=0', 'LPT, seed=1']);
  t.deepEqual(names('quickstart'), ['LPT, seed=0', 'LPT, seed=1']);
});
