/**
 * Golden tests of the shipped experiments: every file in experiments/ checks without errors (the
 * only warnings allowed are missing data or weight files), every plan of every variant carries the
 * hash of its content (compile itself validates each plan against the schema), preset files yield
 * no plans, and the plans match their snapshots: the first plan of a file in full, the others as
 * their difference from it (`npx ava --update-snapshots` after an intended change, then
 * review test/experiments/snapshots/experiments.test.ts.md).
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { nodeCompilerHost } from '../../compiler/node_host.ts';
import { compile } from '../../compiler/compile.ts';
import { planHash } from '../../plan/hash.ts';
import { planDiff, planLines } from '../helpers/plan_diff.ts';

const root = resolve(import.meta.dirname, '../..');
const host = nodeCompilerHost(root);
const files = readdirSync(join(root, 'experiments'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.lpt'))
  .sort()
  .map((f) => join(root, 'experiments', f));

for (const file of files) {
  const name = relative(root, file);
  test(`${name} checks clean and its plans validate`, (t) => {
    // The language's view: LPT++ constructs the runtime does not run yet (5001) are tested below.
    const result = compile(file, host, { runtimeSupport: false });
    const unexpected = result.diagnostics
      .filter((d) => d.code !== 2034)
      .map((d) => `${relative(root, d.span.file)}@${d.span.start} ${d.code} ${d.message}`);
    t.deepEqual(unexpected, []);
    for (const plan of result.plans) {
      // The hash is the plan's identity (resume, job ids): it must be the hash of the content.
      const { hash, ...content } = plan;
      t.is(hash, planHash(content), `${plan.name}: the hash matches the plan's content`);
    }
    if (name.includes('presets')) {
      // A preset file declares presets for experiments to extend and yields no plan of its own.
      t.regex(readFileSync(file, 'utf8'), /^\s*preset\s/m);
      t.is(result.plans.length, 0);
      return;
    }
    t.true(result.plans.length > 0, 'an experiment file yields plans');
    // The first plan in full, each further one as its difference from the first (hashes differ always).
    const [first, ...rest] = result.plans;
    t.snapshot(planLines(first!), `${name}: ${first!.name}`);
    for (const plan of rest)
      t.snapshot(
        planDiff(first, plan).filter((l) => !l.startsWith('/hash:')),
        `${name}: ${plan.name}`,
      );
  });
}

test('the quickstart is LPT with two phases plus a VPT baseline on MNIST-LT', (t) => {
  const { plans } = compile(join(root, 'experiments/quickstart.lpt'), host);
  t.deepEqual(
    plans.map((p) => p.name),
    ['quickstart', 'quickstart/baseline/VPT'],
  );
  const [lpt, vpt] = plans;
  t.deepEqual(
    lpt!.phases.map((p) => p.name),
    ['one', 'two'],
  );
  t.like(lpt!.data.splits[0]!.longtail, { ratio: 100, max: 500 });
  t.like(lpt!.data.splits[1]!.source, { kind: 'mnist', split: 'test' });
  t.like(lpt!.backbones[0], {
    image: 28,
    patch: 7,
    dim: 64,
    depth: 6,
    heads: 4,
    channels: 1,
    weights: { path: 'weights/vit-fmnist.safetensors', format: 'safetensors', naming: 'torchvision' },
  });
  t.deepEqual(
    vpt!.phases.map((p) => p.loss.map((l) => l.loss)),
    [['ce']],
  );
  t.is(vpt!.phases[0]!.sampler.kind, 'instance');
  t.deepEqual(vpt!.modules.pools, []);
});

test('the paper experiments all compile, variants included', (t) => {
  const expected: Record<string, number> = {
    'lpt_places_lt.lpt': 1,
    'lpt_inat2018.lpt': 1,
    'lpt_cifar100_lt.lpt': 4,
    'lpt_ablations.lpt': 21,
    'lptpp_places_lt.lpt': 5,
  };
  for (const [file, count] of Object.entries(expected)) {
    const { plans, diagnostics } = compile(join(root, 'experiments', file), host, { runtimeSupport: false });
    t.is(plans.length, count, `${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
  }
});

test('every shipped experiment, LPT++ included, is runnable (no 5001 refusal)', (t) => {
  for (const file of files.filter((f) => !f.includes('presets'))) {
    const result = compile(file, host);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    t.deepEqual(
      errors.map((d) => d.message),
      [],
      relative(root, file),
    );
    t.true(result.plans.length > 0);
  }
});

test('the 100-class benchmark: composed two-digit numbers, long-tailed at 100, a balanced test set, choices on val', (t) => {
  const ablations = compile(join(root, 'experiments/lt100_ablations.lpt'), host).plans;
  // The experiment, then VPT, phase 1, phase 1+2, CE, GCL, pool 40, top 1 and L=5, each at seeds 0 and 1.
  t.is(ablations.length, 1 + 8 * 2);
  for (const plan of ablations) {
    t.is(plan.classes, 100);
    const [train, val, test] = plan.data.splits;
    t.like(train, { name: 'train', source: { kind: 'mnist_pairs', split: 'train', perClass: 600, seed: 0 } });
    t.like(train!.longtail, { ratio: 100, max: 500 });
    t.like(val, { name: 'val', holdout: { keep: 'held_out', perClass: 20 } });
    t.like(test, {
      name: 'test',
      longtail: null,
      source: { kind: 'mnist_pairs', split: 'test', perClass: 100, seed: 0 },
    });
  }
  t.deepEqual([...new Set(ablations.map((p) => p.seed))], [0, 1]);

  const lptpp = compile(join(root, 'experiments/lt100_lptpp.lpt'), host).plans;
  t.deepEqual(
    lptpp.map((p) => p.name),
    [
      'lt100_lptpp',
      'lt100_lptpp/experts/visual expert',
      'lt100_lptpp/experts/VL expert',
      'lt100_lptpp/experts/average',
      'lt100_lptpp/experts/mixture',
      'lt100_lptpp/experts/held-out scorer',
    ],
  );
  const heldOut = lptpp.at(-1)!;
  // The held-out scorer fits on images no expert trained on: a second held-out part, after val.
  t.like(
    heldOut.data.splits.find((s) => s.name === 'scorer_fit'),
    { holdout: { keep: 'held_out', perClass: 20, skip: 20 } },
  );
  t.like(
    heldOut.data.splits.find((s) => s.name === 'train'),
    { holdout: { keep: 'rest', perClass: 40 } },
  );
  t.is(heldOut.phases.find((p) => p.name === 'three')!.split, 'scorer_fit');
  const textHead = heldOut.modules.heads.find((h) => h.kind === 'text');
  t.like(textHead, { classnames: 'experiments/classes/two_digit_numbers.txt' });
});
