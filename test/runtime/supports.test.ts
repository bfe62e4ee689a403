/**
 * The runtime's capability check: the plans it runs pass cleanly; each construct it refuses comes
 * back once, naming the entity that carries it; and the compiler points each at its declaration.
 */
import test from 'ava';
import { join, resolve } from 'node:path';
import { nodeCompilerHost } from '../../cli/compilerHost.ts';
import { compile } from '../../compiler/compile.ts';
import type { Plan } from '../../plan/plan.ts';
import { supports } from '../../runtime/supports.ts';
import { compileText } from '../helpers/compileSource.ts';

const root = resolve(import.meta.dirname, '../..');
const quickstart = compile(join(root, 'experiments/quickstart.lpt'), nodeCompilerHost(root)).plans;
const lpt = quickstart[0]!;

const entities = (plan: Plan) => supports(plan).map((p) => `${p.entity.kind} ${p.entity.name}${p.entity.setting ? `.${p.entity.setting}` : ''}`);

test('the quickstart plans (LPT and VPT) are supported', (t) => {
  t.is(quickstart.length, 2);
  for (const plan of quickstart) t.deepEqual(supports(plan), []);
});

test('every refused construct names its entity', (t) => {
  const expert = lpt.modules.experts[0]!;
  const head = lpt.modules.heads[0]!;
  const pool = lpt.modules.pools[0]!;
  const cases: [string, Plan, string[]][] = [
    ['a scorer', { ...lpt, modules: { ...lpt.modules, scorer: { name: 'mix', kind: 'moe', experts: ['a', 'b'], input: 'confidence', hidden: 0, gate: 'softmax', weights: 'per_expert', params: 1 } } }, ['scorer mix']],
    ['a second expert', { ...lpt, modules: { ...lpt.modules, experts: [expert, { ...expert, name: 'second' }] } }, ['expert second']],
    ['two prompts in one expert', { ...lpt, modules: { ...lpt.modules, experts: [{ ...expert, prompts: [...expert.prompts, 'b'] }] } }, [`expert ${expert.name}`]],
    ['a text head', { ...lpt, modules: { ...lpt.modules, heads: [{ ...head, kind: 'text', scale: 20, embeddings: 'e.json', encoder: null, classnames: null, template: '{}', embedDim: 8, tune: false, projection: false }] } }, [`head ${head.name}`]],
    ['a pool queried by another prompt', { ...lpt, modules: { ...lpt.modules, pools: [{ ...pool, query: 'elsewhere' }] } }, [`pool ${pool.name}`]],
    ['no evaluation', { ...lpt, evaluation: [] }, ['experiment quickstart']],
    ['a second evaluation', { ...lpt, evaluation: [...lpt.evaluation, { ...lpt.evaluation[0]!, split: 'train' }] }, ['evaluation train']],
    ['an evaluation of another model', { ...lpt, evaluation: [{ ...lpt.evaluation[0]!, model: 'other' }] }, ['evaluation test']],
    ['a GCL noise other than 1/3', { ...lpt, phases: lpt.phases.map((p, i) => (i === 1 ? { ...p, loss: p.loss.map((l, j) => (j === 0 ? { ...l, args: { ...l.args, noise_std: 0.5 } } : l)) } : p)) }, ['phase two.loss']],
  ];
  for (const [what, plan, expected] of cases) t.deepEqual(entities(plan), expected, what);
});

test('the compiler reports each problem at the declaration that made the entity (5001)', (t) => {
  const source = `import "base.lpt"
experiment x extends base {
  evaluate train { }
}`;
  const result = compileText(source);
  t.deepEqual(result.plans, []);
  const d = result.diagnostics.find((x) => x.code === 5001);
  t.truthy(d);
  t.is(d!.severity, 'error');
  t.is(source.slice(d!.span.start, d!.span.end), 'train');
  t.regex(d!.message, /evaluation 'train'/);
});

test('the LPT++ experiment is refused at its scorer, second expert and text head; without the check it compiles', (t) => {
  const file = join(root, 'experiments/lptpp_places_lt.lpt');
  const refused = compile(file, nodeCompilerHost(root));
  t.deepEqual(refused.plans, []);
  const text = refused.sources.get(file)!;
  const at = refused.diagnostics.filter((d) => d.code === 5001 && d.span.file === file).map((d) => text.slice(d.span.start, d.span.end));
  t.deepEqual(at, ['text_head', 'vl', 'mix']);
  t.is(compile(file, nodeCompilerHost(root), { runtimeSupport: false }).plans.length, 4);
});
