/** Budgets of compiled plans: docs/METHOD.md's LPT numbers at ViT-B scale, per-phase costs, assertions. */
import test from 'ava';
import { join, resolve } from 'node:path';
import { nodeCompilerHost } from '../../../compiler/node_host.ts';
import { compile } from '../../../compiler/compile.ts';
import { formatBudgetSummary } from '../../../compiler/plan/summary.ts';
import { compileText } from '../../helpers/compile_source.ts';

const root = resolve(import.meta.dirname, '../../..');

test('LPT on Places-LT: 1.03 M prompt parameters, 1.2% of an 85.8 M backbone (plus the head)', (t) => {
  const { plans } = compile(join(root, 'experiments/lpt_places_lt.lpt'), nodeCompilerHost(root));
  const budget = plans[0]!.budget;
  t.is(budget.backboneParams, 85_798_656);
  t.is(budget.promptParams, 92_160 + 921_600 + 15_360);
  const byName = new Map(budget.modules.map((m) => [m.name, m]));
  t.like(byName.get('shared'), { params: 92_160, trained: true });
  t.like(byName.get('group'), { params: 921_600, trained: true });
  t.like(byName.get('group.keys'), { params: 15_360, trained: true });
  t.like(byName.get('cls'), { params: 365 * 768, trained: true });
  t.is(budget.trainableParams, 1_029_120 + 365 * 768);
  t.true(Math.abs((100 * budget.promptParams) / budget.backboneParams - 1.2) < 0.05);
  // Phase 1 trains the shared prompt and head; phase 2 the pool, keys and head.
  t.deepEqual(
    budget.phases.map((p) => p.trainableParams),
    [92_160 + 280_320, 921_600 + 15_360 + 280_320],
  );
  t.true(budget.assertions.every((a) => a.ok));
  // A ViT-B/16 forward pass is about 35 GFLOPs (17.6 G multiply-adds); LPT runs two prompted passes.
  t.true(budget.inferenceFlops > 2 * 35e9 && budget.inferenceFlops < 2 * 45e9, `${budget.inferenceFlops}`);
});

test('phase costs: a phase that trains deeper prompts needs a longer backward pass', (t) => {
  const { plans } = compileText(
    `import "base.lpt"
experiment x extends base {
  prompt late = deep(length: 4, layers: 6..6)
  phase two after one { train late }
}`,
    {},
    { runtimeSupport: false },
  ); // two deep prompts in one expert: the language's budget, not what the runtime runs
  const [one, two] = plans[0]!.budget.phases;
  t.true(one!.flopsPerStep > two!.flopsPerStep);
  t.true(one!.activationBytes > two!.activationBytes);
  t.true(two!.activationBytes > 0);
});

test('budget assertions are recorded in the plan and a broken one is an error', (t) => {
  const ok = compileText('import "base.lpt"\nexperiment x extends base { budget(trainable: <=3k, share: <1%) }');
  t.deepEqual(
    ok.plans[0]!.budget.assertions.map((a) => [a.metric, a.ok]),
    [
      ['trainable', true],
      ['share', true],
    ],
  );
  const broken = compileText('import "base.lpt"\nexperiment x extends base { budget(trainable: <=1k) }');
  t.deepEqual(
    broken.diagnostics.map((d) => d.code),
    [2030],
  );
  t.is(broken.plans.length, 0);
});

test('the summary table names every module and phase', (t) => {
  const { plans } = compile(join(root, 'experiments/quickstart.lpt'), nodeCompilerHost(root));
  const summary = formatBudgetSummary(plans[0]!);
  for (const word of ['shared', 'group', 'group.keys', 'cls', 'one', 'two', 'trainable', 'FLOPs'])
    t.true(summary.includes(word), word);
});

test('LPT++: per-expert budgets, and the scorer phase caches frozen expert outputs only when the train transforms are deterministic', (t) => {
  const quick = compile(join(root, 'experiments/quickstart_lptpp.lpt'), nodeCompilerHost(root)).plans[0]!;
  const [one, two, three] = quick.phases;
  t.is(one!.frozenExperts, null);
  t.is(two!.frozenExperts, null);
  t.like(three!.frozenExperts, { outputs: 'cache' });
  const budget = quick.budget;
  t.deepEqual(
    budget.experts.map((e) => [e.name, e.backbone]),
    [
      ['visual', 'vit'],
      ['vl_expert', 'vl'],
    ],
  );
  const scorer = quick.modules.scorer!;
  t.is(budget.experts.reduce((n, e) => n + e.trainableParams, 0) + scorer.params, budget.trainableParams);
  // A cached step runs the scorer only: orders of magnitude below a phase-1 step.
  t.true(budget.phases[2]!.flopsPerStep * 1000 < budget.phases[0]!.flopsPerStep);
  const summary = formatBudgetSummary(quick);
  t.regex(summary, /scorer mix +moe\(visual, vl_expert/);
  t.regex(summary, /phase three: expert outputs cached/);

  const places = compile(join(root, 'experiments/lptpp_places_lt.lpt'), nodeCompilerHost(root)).plans[0]!;
  t.like(places.phases[2]!.frozenExperts, { outputs: 'recompute' });
  t.regex(places.phases[2]!.frozenExperts!.reason, /random_resized_crop/);
});
