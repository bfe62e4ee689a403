/** `lpt compile`: plan JSON on stdout or atomically to a file, variants, summary, exit codes. */
import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../cli/main.ts';
import { validatePlan } from '../../../plan/validate.ts';
import { recordingIO } from '../../helpers/cli_io.ts';

const root = resolve(import.meta.dirname, '../../..');

test('prints the plan of the experiment as valid JSON', async (t) => {
  const io = recordingIO(root);
  t.is(await main(['compile', 'experiments/quickstart.lpt'], io), 0);
  const plan = JSON.parse(io.out.join(''));
  t.is(plan.name, 'quickstart');
  t.true(validatePlan(plan).ok);
});

test('--variant picks one variant and --all-variants gives an array of all plans', async (t) => {
  const one = recordingIO(root);
  t.is(await main(['compile', 'experiments/quickstart.lpt', '--variant', 'VPT'], one), 0);
  t.is(JSON.parse(one.out.join('')).name, 'quickstart/baseline/VPT');
  const all = recordingIO(root);
  t.is(await main(['compile', 'experiments/quickstart.lpt', '--all-variants'], all), 0);
  t.deepEqual(
    JSON.parse(all.out.join('')).map((p: { name: string }) => p.name),
    ['quickstart', 'quickstart/baseline/VPT'],
  );
});

test('an unknown variant is bad usage and lists the variants', async (t) => {
  const io = recordingIO(root);
  t.is(await main(['compile', 'experiments/quickstart.lpt', '--variant', 'nope'], io), 2);
  t.regex(io.err.join(''), /"baseline\/VPT"/);
});

test('-o writes the plan atomically and leaves no temporary file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-compile-'));
  const io = recordingIO(root);
  t.is(await main(['compile', 'experiments/quickstart.lpt', '-o', join(dir, 'plan.json')], io), 0);
  t.is(io.out.join(''), '');
  t.is(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).experiment, 'quickstart');
  t.deepEqual(readdirSync(dir), ['plan.json']);
});

test('--summary prints the budget table instead of JSON', async (t) => {
  const io = recordingIO(root);
  t.is(await main(['compile', 'experiments/lpt_places_lt.lpt', '--summary'], io), 0);
  const out = io.out.join('');
  t.regex(out, /group\.keys\s+keys\s+15\.4k/);
  t.regex(out, /1\.53% of 85\.8M backbone params/);
});

test('errors go to stderr with exit 1 and no plan', async (t) => {
  const io = recordingIO(root);
  t.is(await main(['compile', 'test/fixtures/compiler/diagnostics/2020-top-k-exceeds-pool.lpt'], io), 1);
  t.is(io.out.join(''), '');
  t.regex(io.err.join(''), /\[LPT2020\]/);
});

test('--variant with --all-variants, or two files, is bad usage', async (t) => {
  t.is(
    await main(['compile', 'experiments/quickstart.lpt', '--variant', 'VPT', '--all-variants'], recordingIO(root)),
    2,
  );
  t.is(await main(['compile', 'a.lpt', 'b.lpt'], recordingIO(root)), 2);
});

test('a file of ablations only compiles all its variants, as JSON and as --summary', async (t) => {
  const io = recordingIO(root);
  t.is(await main(['compile', 'experiments/lpt_ablations.lpt'], io), 0);
  const plans = JSON.parse(io.out.join('')) as { variant: { ablation: string } | null }[];
  t.is(plans.length, 21);
  t.true(plans.every((p) => p.variant !== null));
  const summary = recordingIO(root);
  t.is(await main(['compile', 'experiments/lpt_ablations.lpt', '--summary'], summary), 0);
  t.is(
    summary.out.join('').match(/^lpt_places_lt\/.+ {2}\(experiments\/lpt_ablations\.lpt, plan [0-9a-f]{12}\)$/gm)
      ?.length,
    21,
  );
});

test("--variant also finds the experiment's own plan by its label", async (t) => {
  const io = recordingIO(root);
  t.is(await main(['compile', 'experiments/quickstart.lpt', '--variant', 'LPT'], io), 0);
  const plan = JSON.parse(io.out.join(''));
  t.is(plan.name, 'quickstart');
  t.is(plan.label, 'LPT');
});

test('--set and --seeds: the plans record the overrides (JSON and --summary) and come once per seed', async (t) => {
  const io = recordingIO(root);
  t.is(
    await main(
      ['compile', 'experiments/quickstart.lpt', '--all-variants', '--set', 'phase.one.epochs=2', '--seeds', '0,1'],
      io,
    ),
    0,
  );
  const plans = JSON.parse(io.out.join('')) as {
    name: string;
    seed: number;
    overrides: string[];
    replicateOf: string;
    phases: { epochs: number }[];
  }[];
  t.deepEqual(
    plans.map((p) => [p.name, p.seed, p.replicateOf]),
    [
      ['quickstart, seed=0', 0, 'LPT'],
      ['quickstart, seed=1', 1, 'LPT'],
      ['quickstart/baseline/VPT, seed=0', 0, 'VPT'],
      ['quickstart/baseline/VPT, seed=1', 1, 'VPT'],
    ],
  );
  for (const plan of plans) {
    t.deepEqual(plan.overrides, ['phase.one.epochs=2']);
    t.is(plan.phases[0]!.epochs, 2);
    t.true(validatePlan(plan).ok);
  }
  const summary = recordingIO(root);
  t.is(await main(['compile', 'experiments/quickstart.lpt', '--summary', '--set', 'group.top=3'], summary), 0);
  t.regex(summary.out.join(''), /^quickstart .*\n {2}overrides \(--set\): group\.top=3\n/);
  const bad = recordingIO(root);
  t.is(await main(['compile', 'experiments/quickstart.lpt', '--set', 'group.top=30'], bad), 1);
  t.is(bad.out.join(''), '', 'no plan when an override is bad');
  t.regex(bad.err.join(''), /<command line>:1:\d+: error: top 30 exceeds the pool size 20/);
});
