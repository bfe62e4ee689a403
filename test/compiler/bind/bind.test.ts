/** Binding: extends merges, variant patches, drops, varies and phase inheritance, seen through plans. */
import test from 'ava';
import { codes, compileText } from '../../helpers/compile_source.ts';

test('extends merges in order: later bases and the own body win; phases merge per property', (t) => {
  const result = compileText(`import "base.lpt"
preset longer { phase one { epochs 7 }; seed 3 }
preset other { seed 4 }
experiment x extends base, longer, other { phase one { batch 2 } }`);
  t.deepEqual(codes(result), []);
  const plan = result.plans[0]!;
  t.is(plan.seed, 4);
  t.like(plan.phases[0], { epochs: 7, batch: 2, trainable: ['shared', 'cls'] });
});

test('a phase inherits sample, optim, schedule, epochs and batch through its after chain', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base {
  phase one { sample class_aware(per_class: 2); optim adamw(lr: 0.001); schedule step(milestones: [1]) }
  phase two after one { train cls }
  phase three after two { train shared; epochs 5 }
}`);
  t.deepEqual(codes(result), []);
  const three = result.plans[0]!.phases[2]!;
  t.like(three, {
    epochs: 5,
    batch: 8,
    sampler: { kind: 'class_aware', perClass: 2 },
    optimizer: { kind: 'adamw', baseLr: 0.001 },
    schedule: { kind: 'step', milestones: [1] },
  });
  t.deepEqual(
    three.loss.map((l) => l.loss),
    ['ce'],
    'the loss is not inherited',
  );
});

test('phases run in after order whatever the source order', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base {
  phase late after middle { train cls }
  phase middle after one { train shared }
}`);
  t.deepEqual(
    result.plans[0]!.phases.map((p) => p.name),
    ['one', 'middle', 'late'],
  );
});

test('varies in a variant are crossed with each other and named after their values', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base { }
ablation grid of x {
  variant "v" { vary shared.length = [1, 2]; vary one.epochs = [3, 4] }
}`);
  t.deepEqual(codes(result), []);
  t.deepEqual(
    result.plans.slice(1).map((p) => p.variant!.name),
    [
      'v, shared.length=1, one.epochs=3',
      'v, shared.length=1, one.epochs=4',
      'v, shared.length=2, one.epochs=3',
      'v, shared.length=2, one.epochs=4',
    ],
  );
  t.deepEqual(
    result.plans.slice(1).map((p) => [p.modules.prompts[0]!.length, p.phases[0]!.epochs]),
    [
      [1, 3],
      [1, 4],
      [2, 3],
      [2, 4],
    ],
  );
});

test('ablation-wide statements patch every run; variants start from them', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base { }
ablation a of x {
  seed 9
  variant "plain" { }
  variant "reseeded" { seed 1 }
}`);
  t.deepEqual(
    result.plans.map((p) => p.seed),
    [0, 9, 1],
  );
});

test('a preset checked on its own skips completeness and unknown names, but not argument checks', (t) => {
  const ok = compileText('preset p { prompt shared = deep(length: 4) on somewhere; phase one { train shared, cls } }');
  t.deepEqual(codes(ok), []);
  t.is(ok.plans.length, 0);
  const bad = compileText('preset p { prompt shared = deep(lenght: 4) }');
  t.deepEqual(codes(bad), [2003]);
});

test('a broken extends chain does not cascade into completeness errors', (t) => {
  const result = compileText('experiment x extends nothere { }');
  t.deepEqual(codes(result), [2009]);
});

test('duplicates inside one body are errors with a note; across extends they replace', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base { head cls = linear; seed 1; seed 2 }`);
  t.deepEqual(codes(result), [2008]);
  t.is(result.diagnostics[0]!.related?.[0]?.message, 'first declared here');
});
