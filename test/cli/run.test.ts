/**
 * `lpt run` as a user runs it: one real spawn with --json (the event stream), plus the refusal to
 * start when an input file is missing.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { main } from '../../cli/main.ts';
import { UserError } from '../../runtime/errors.ts';
import { recordingIO } from '../helpers/cli_io.ts';
import { useTestBackend } from '../helpers/backend.ts';
import { tinyPlans } from '../helpers/tiny_run.ts';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

test.before(async () => {
  await useTestBackend();
});

test('lpt run --json streams one JSON event per line and writes the run directory', async (t) => {
  const { dir } = tinyPlans();
  const { stdout } = await run(
    process.execPath,
    [join(root, 'bin/lpt.js'), 'run', 'tiny.lpt', '--variant', 'VPT', '--out', 'out', '--json'],
    {
      cwd: dir,
      timeout: 240_000,
    },
  );
  const events = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; runDir?: string });
  t.is(events[0]!.type, 'run_start');
  t.is(events.at(-1)!.type, 'run_end');
  t.true(events.some((e) => e.type === 'evaluation'));
  const runDir = events.at(-1)!.runDir!;
  t.true(runDir.startsWith(join(dir, 'out', 'tiny')));
  const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as { variants: { variant: string }[] };
  t.deepEqual(
    results.variants.map((v) => v.variant),
    ['VPT'],
  );
  t.is(readFileSync(join(runDir, 'events.jsonl'), 'utf8').trim().split('\n').length, events.length);
});

test('lpt run --seeds --set: one run per seed with the override, and lpt report gives mean ± std over them', async (t) => {
  const { dir } = tinyPlans();
  const { stdout } = await run(
    process.execPath,
    [
      join(root, 'bin/lpt.js'),
      'run',
      'tiny.lpt',
      '--variant',
      'VPT',
      '--seeds',
      '0,1',
      '--set',
      'phase.one.batch=4',
      '--out',
      'seeds',
      '--json',
    ],
    {
      cwd: dir,
      timeout: 240_000,
    },
  );
  const runDir = (JSON.parse(stdout.trim().split('\n').at(-1)!) as { runDir: string }).runDir;
  const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as {
    variants: { variant: string; row: string; seed: number; split: string }[];
  };
  t.deepEqual(
    results.variants.map((v) => [v.variant, v.row, v.seed]),
    [
      ['VPT, seed=0', 'VPT', 0],
      ['VPT, seed=1', 'VPT', 1],
    ],
  );
  const plans = ['tiny_baseline_VPT_seed_0', 'tiny_baseline_VPT_seed_1'].map(
    (slug) =>
      JSON.parse(readFileSync(join(runDir, 'plans', `${slug}.json`), 'utf8')) as {
        overrides: string[];
        phases: { batch: number }[];
      },
  );
  for (const plan of plans) {
    t.deepEqual(plan.overrides, ['phase.one.batch=4']);
    t.is(plan.phases[0]!.batch, 4);
  }
  const io = recordingIO(dir);
  t.is(await main(['report', runDir], io), 0);
  const table = io.out.join('');
  t.regex(table, /\| VPT +\| .*±.*\|\n/);
  t.true(results.variants.every((v) => v.split === 'test'));
  t.regex(table, /Top-1 accuracy \(%\) on the test set\./);
  t.regex(table, /over 2 seeds \(0, 1\)/);
});

test('lpt run refuses to start when the weights file is missing, naming it', async (t) => {
  const { dir } = tinyPlans();
  rmSync(join(dir, 'tiny.safetensors'));
  const io = recordingIO(dir);
  t.is(await main(['run', join(dir, 'tiny.lpt'), '--out', join(dir, 'out')], io), 1);
  t.regex(io.err.join(''), /cannot start, files are missing:[\s\S]*tiny\.safetensors does not exist/);
  t.false(existsSync(join(dir, 'out')));
});

test('lpt run on the paper-scale LPT++ experiment passes every check and names each missing file, the text head encoder checkpoint included', async (t) => {
  const io = recordingIO(root);
  t.is(
    await main(['run', join(root, 'experiments/lptpp_places_lt.lpt'), '--out', join(tinyPlans().dir, 'out')], io),
    1,
  );
  const err = io.err.join('');
  t.regex(err, /cannot start, files are missing:/);
  t.regex(err, /the weights of backbone 'clip': weights\/clip_vit_b16\.safetensors does not exist/);
  // The text head's encoder is the same CLIP checkpoint (its text tower).
  t.regex(err, /text head 'text_head': weights\/clip_vit_b16\.safetensors does not exist/);
  t.notRegex(err, /not supported/);
});

test('lpt run refuses a construct the runtime does not run at its source position, before any data loads', async (t) => {
  const { dir } = tinyPlans();
  // No data at all: the refusal must come from the plan, before anything is read.
  rmSync(join(dir, 'tiny.safetensors'));
  const file = join(root, 'test/fixtures/compiler/diagnostics/5001-unsupported-by-runtime.lpt');
  const io = recordingIO(dir);
  t.is(await main(['run', file, '--out', join(dir, 'out')], io), 1);
  t.regex(io.err.join(''), /5001-unsupported-by-runtime\.lpt:5:\d+: error: expert 'model': .*\[LPT5001\]/);
  t.notRegex(io.err.join(''), /files are missing/);
  t.false(existsSync(join(dir, 'out')));
});

test('lpt run --resume refuses --set and --seeds: a resumed run keeps its plans (bad usage, exit 2)', async (t) => {
  for (const extra of [
    ['--set', 'seed=1'],
    ['--seeds', '0,1'],
  ]) {
    const io = recordingIO(root);
    t.is(await main(['run', '--resume', 'runs/none', ...extra], io), 2);
    t.regex(io.err.join(''), /a resumed run keeps the plans it has/);
  }
});

test('lpt run prints any UserError subclass as one message (exit 1) and anything else as an internal error (exit 3)', async (t) => {
  class NewKindOfUserError extends UserError {
    override readonly name = 'NewKindOfUserError';
  }
  const { dir } = tinyPlans();
  // The first thing lpt run prints is the compiler's warning about the tiny test split: it throws there.
  const failingOnce = (error: Error) => {
    const io = recordingIO(root);
    let thrown = false;
    const stderr = (s: string) => {
      if (thrown) return io.stderr(s);
      thrown = true;
      throw error;
    };
    return { io, failing: { ...io, stderr } };
  };
  const args = ['run', join(dir, 'tiny.lpt'), '--out', join(dir, 'out')];
  const user = failingOnce(new NewKindOfUserError('the disk is full', { file: 'out/events.jsonl' }));
  t.is(await main(args, user.failing), 1);
  t.is(user.io.err.join(''), 'lpt run: out/events.jsonl: the disk is full');
  const bug = failingOnce(new Error('undefined is not a function'));
  t.is(await main(args, bug.failing), 3);
  t.regex(bug.io.err.join(''), /^lpt run: internal error: undefined is not a function/);
});

test('lpt run --keep-checkpoints takes a positive integer, as every count option does (bad usage, exit 2)', async (t) => {
  for (const bad of ['0', '1e1', '2.5', 'two']) {
    const io = recordingIO(root);
    t.is(await main(['run', 'experiments/quickstart.lpt', '--keep-checkpoints', bad], io), 2);
    t.regex(io.err.join(''), new RegExp(`--keep-checkpoints must be a positive integer \\(got '${bad}'\\)`));
  }
});
