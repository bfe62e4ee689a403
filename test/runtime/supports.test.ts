/**
 * The runtime's capability check: the plans it runs pass cleanly; each construct it refuses comes
 * back once, naming the entity that carries it; and the compiler points each at its declaration.
 */
import test from 'ava';
import { join, resolve } from 'node:path';
import { nodeCompilerHost } from '../../compiler/node_host.ts';
import { compile } from '../../compiler/compile.ts';
import type { Plan } from '../../plan/plan.ts';
import { supports } from '../../runtime/supports.ts';
import { compileText } from '../helpers/compile_source.ts';

const root = resolve(import.meta.dirname, '../..');
const quickstart = compile(join(root, 'experiments/quickstart.lpt'), nodeCompilerHost(root)).plans;
const lpt = quickstart[0]!;

const entities = (plan: Plan) =>
  supports(plan).map((p) => `${p.entity.kind} ${p.entity.name}${p.entity.setting ? `.${p.entity.setting}` : ''}`);

test('the quickstart plans (LPT and VPT) are supported', (t) => {
  t.is(quickstart.length, 2);
  for (const plan of quickstart) t.deepEqual(supports(plan), []);
});

test('every refused construct names its entity', (t) => {
  const expert = lpt.modules.experts[0]!;
  const pool = lpt.modules.pools[0]!;
  const cases: [string, Plan, string[]][] = [
    [
      'a scorer trained with other modules',
      {
        ...lpt,
        modules: {
          ...lpt.modules,
          scorer: {
            name: 'mix',
            kind: 'moe',
            experts: [expert.name],
            input: 'confidence',
            hidden: 0,
            gate: 'softmax',
            weights: 'per_expert',
            params: 1,
          },
        },
        phases: lpt.phases.map((p, i) => (i === 0 ? { ...p, trainable: [...p.trainable, 'mix'] } : p)),
      },
      ['phase one'],
    ],
    [
      'two prompts in one expert',
      { ...lpt, modules: { ...lpt.modules, experts: [{ ...expert, prompts: [...expert.prompts, 'b'] }] } },
      [`expert ${expert.name}`],
    ],
    [
      'a pool queried by another prompt',
      { ...lpt, modules: { ...lpt.modules, pools: [{ ...pool, query: 'elsewhere' }] } },
      [`pool ${pool.name}`],
    ],
    ['no evaluation', { ...lpt, evaluation: [] }, ['experiment quickstart']],
    [
      'an evaluation of another model',
      { ...lpt, evaluation: [{ ...lpt.evaluation[0]!, model: 'other' }] },
      ['evaluation test'],
    ],
    [
      'a GCL noise other than 1/3',
      {
        ...lpt,
        phases: lpt.phases.map((p, i) =>
          i === 1
            ? { ...p, loss: p.loss.map((l, j) => (j === 0 ? { ...l, args: { ...l.args, noise_std: 0.5 } } : l)) }
            : p,
        ),
      },
      ['phase two.loss'],
    ],
    [
      'a split, a backbone and a head the plan does not define',
      {
        ...lpt,
        data: { ...lpt.data, splits: lpt.data.splits.filter((x) => x.name !== 'train') },
        backbones: [],
        modules: { ...lpt.modules, heads: [] },
        phases: lpt.phases.map((p, i) => (i === 0 ? { ...p, split: 'held_out' } : p)),
      },
      ['experiment quickstart', 'phase one.split', `expert ${expert.name}`, `expert ${expert.name}`],
    ],
    [
      'a matching loss before the pool is trained',
      {
        ...lpt,
        phases: lpt.phases.map((p, i) =>
          i === 0 ? { ...p, loss: [...p.loss, { ...p.loss[0]!, loss: 'matching' as const, args: {} }] } : p,
        ),
      },
      ['phase one.loss'],
    ],
  ];
  for (const [what, plan, expected] of cases) t.deepEqual(entities(plan), expected, what);
  const twoSplits = { ...lpt, evaluation: [...lpt.evaluation, { ...lpt.evaluation[0]!, split: 'train' }] };
  t.deepEqual(entities(twoSplits), [], 'several evaluate blocks run');
});

test('a matching loss is supported once the pool is trained (the quickstart trains it in phase two)', (t) => {
  t.true(lpt.phases[1]!.trainable.includes(lpt.modules.pools[0]!.name));
  const plan: Plan = {
    ...lpt,
    phases: lpt.phases.map((p, i) =>
      i === 1 ? { ...p, loss: [...p.loss, { ...p.loss[0]!, loss: 'matching' as const, args: {} }] } : p,
    ),
  };
  t.deepEqual(supports(plan), []);
});

test('the compiler reports each problem at the declaration that made the entity (5001)', (t) => {
  const source = `import "base.lpt"
experiment x extends base {
  prompt extra = deep(length: 2)
  expert model = expert(backbone: vit, modules: [shared, extra], head: cls)
  phase one { train shared, extra, cls }
}`;
  const result = compileText(source);
  t.deepEqual(result.plans, []);
  const d = result.diagnostics.find((x) => x.code === 5001);
  t.truthy(d);
  t.is(d!.severity, 'error');
  t.is(source.slice(d!.span.start, d!.span.end), 'model');
  t.regex(d!.message, /expert 'model'.*2 prompts/);
});

test('the LPT++ experiments (two experts, a text head, a scorer) are supported', (t) => {
  for (const file of ['experiments/lptpp_places_lt.lpt', 'experiments/quickstart_lptpp.lpt']) {
    const result = compile(join(root, file), nodeCompilerHost(root));
    t.deepEqual(
      result.diagnostics.filter((d) => d.code === 5001),
      [],
      file,
    );
    t.is(result.plans.length, file.includes('quickstart') ? 5 : 4, file);
    for (const plan of result.plans) t.deepEqual(supports(plan), [], plan.name);
  }
});
