/**
 * The options for what the papers leave open, in the plan: key and head initialisation (the
 * authors' choices by default), the schedule's granularity, and a validation split held out of
 * the train split.
 */
import test from 'ava';
import { codes, compileText } from '../helpers/compile_source.ts';

test("defaults are the authors' choices: normal keys, unit-norm cosine head, per-step schedule", (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base {
  prompt group = pool(size: 4, length: 2, top: 1)
  phase two after one { train group, cls; freeze shared }
}`);
  const plan = result.plans[0]!;
  t.is(plan.modules.pools[0]!.keyInit, 'normal');
  t.like(plan.modules.heads[0], { kind: 'cosine', init: 'unit' });
  t.is(plan.phases[0]!.schedule.per, 'step');
  const linear = compileText('import "base.lpt"\nexperiment x extends base { head cls = linear }');
  t.like(linear.plans[0]!.modules.heads[0], { kind: 'linear', init: 'normal' });
});

test('key init, head init and per-epoch schedules are written into the plan', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base {
  prompt group = pool(size: 4, length: 2, top: 1, key_init: uniform)
  head cls = cosine(init: normal)
  phase one { schedule cosine(warmup: 1, per: epoch) }
  phase two after one { train group, cls; freeze shared }
}`);
  t.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code),
    [],
  );
  const plan = result.plans[0]!;
  t.is(plan.modules.pools[0]!.keyInit, 'uniform');
  t.like(plan.modules.heads[0], { kind: 'cosine', init: 'normal' });
  t.like(plan.phases[0]!.schedule, { kind: 'cosine', per: 'epoch', warmupEpochs: 1 });
  t.is(plan.phases[1]!.schedule.per, 'epoch'); // a later phase inherits the earlier one's settings
});

test('a held-out split reads the train source; the train split leaves those images out', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base {
  seed 3
  data { val = holdout(per_class: 5) | normalize(mean: 0.5, std: 0.5) }
}`);
  t.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code),
    [],
  );
  const splits = result.plans[0]!.data.splits;
  const train = splits.find((s) => s.name === 'train')!;
  const val = splits.find((s) => s.name === 'val')!;
  t.deepEqual(train.holdout, { keep: 'rest', perClass: 5, seed: 3 });
  t.deepEqual(val.holdout, { keep: 'held_out', perClass: 5, seed: 3 });
  t.deepEqual(val.source, train.source);
  t.is(val.longtail, null);
  t.is(val.imageSize, 28);
  t.is(splits.find((s) => s.name === 'test')!.holdout, null);
});

test('the train split cannot be held out; several held-out splits are consecutive parts of one draw', (t) => {
  const own = compileText(`import "base.lpt"
experiment x extends base { data { train = holdout(per_class: 5) } }`);
  t.true(codes(own).includes(2073));
  const two = compileText(`import "base.lpt"
experiment x extends base { data { val = holdout(per_class: 5); fit = holdout(per_class: 2) } }`);
  t.deepEqual(codes(two), []);
  const splits = two.plans[0]!.data.splits;
  t.deepEqual(splits.find((s) => s.name === 'train')!.holdout, { keep: 'rest', perClass: 7, seed: 0 });
  t.deepEqual(splits.find((s) => s.name === 'val')!.holdout, { keep: 'held_out', perClass: 5, seed: 0 });
  t.deepEqual(splits.find((s) => s.name === 'fit')!.holdout, { keep: 'held_out', perClass: 2, seed: 0, skip: 5 });
  const seeds = compileText(`import "base.lpt"
experiment x extends base { data { val = holdout(per_class: 5); fit = holdout(per_class: 2, seed: 4) } }`);
  t.true(codes(seeds).includes(2073));
  t.is(seeds.plans.length, 0);
});

test('a phase trains on the split it names; never on one the experiment evaluates', (t) => {
  const result = compileText(`import "base.lpt"
experiment x extends base {
  data { fit = holdout(per_class: 2) | longtail(ratio: 2) }
  phase one { split fit }
}`);
  t.deepEqual(codes(result), [], 'a long-tailed split that is only trained on draws no warning');
  t.is(result.plans[0]!.phases[0]!.split, 'fit');
  const plain = compileText('import "base.lpt"\nexperiment x extends base { phase one { split train } }');
  t.false('split' in plain.plans[0]!.phases[0]!, 'the train split is the default and leaves the plan as before');
  const unknown = compileText('import "base.lpt"\nexperiment x extends base { phase one { split fitt } }');
  t.true(codes(unknown).includes(2009));
  const evaluated = compileText('import "base.lpt"\nexperiment x extends base { phase one { split test } }');
  t.true(codes(evaluated).includes(2074));
  t.is(evaluated.plans.length, 0);
});
