/**
 * `lpt run FILE --smoke` as a user runs it: every plan for two steps per phase, stopped after the
 * first step and resumed, two evaluation batches, in a throwaway directory, ending with the table.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import type { RunEvent } from '../../runtime/events.ts';
import { main } from '../../cli/main.ts';
import { recordingIO } from '../helpers/cli_io.ts';
import { useTestBackend } from '../helpers/backend.ts';
import { tinyPlans } from '../helpers/tiny_run.ts';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

test.before(async () => {
  await useTestBackend();
});

test('--smoke runs every plan two steps per phase with a stop and a resume, then prints the table', async (t) => {
  const { dir } = tinyPlans();
  const { stdout, stderr } = await run(process.execPath, [join(root, 'bin/lpt.js'), 'run', 'tiny.lpt', '--smoke'], {
    cwd: dir,
    timeout: 240_000,
  });
  const runDir = /smoke run: .* Run directory: (\S+)/.exec(stdout)?.[1];
  t.truthy(runDir, stdout);
  t.true(runDir!.startsWith(join(tmpdir(), 'lpt-smoke-tiny-')));
  t.regex(stderr, /lpt run --smoke: 2 plan\(s\), 2 steps per phase/);
  t.regex(stdout, /\| tiny +\|/);
  t.regex(stdout, /\| VPT +\|/);
  const events = readFileSync(join(runDir!, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);
  const steps = new Map<string, number>();
  for (const e of events)
    if (e.type === 'step') steps.set(`${e.variant}/${e.phase}`, (steps.get(`${e.variant}/${e.phase}`) ?? 0) + 1);
  t.deepEqual(Object.fromEntries(steps), { 'tiny/one': 2, 'tiny/two': 2, 'VPT/one': 2 });
  // The phases announce the steps the smoke trains, and keep the plan's for reference.
  for (const e of events) {
    if (e.type === 'phase_start') {
      t.is(e.epochs * e.stepsPerEpoch, 2, `${e.variant}/${e.phase}`);
      t.true(e.planned!.epochs * e.planned!.stepsPerEpoch > 2);
    }
    if (e.type === 'step') t.is(e.stepsPerEpoch, 2);
  }
  t.regex(stdout, /phase tiny\/one start: 1 epochs x 2 steps \(shortened: the plan has 2 epochs x \d+ steps\)/);
  const starts = events.flatMap((e) => (e.type === 'run_start' ? [e.resumedFrom ?? null] : []));
  t.deepEqual(starts, [null, 'one-e0-s1.safetensors', null], 'the first plan stops after its first step and resumes');
  const results = JSON.parse(readFileSync(join(runDir!, 'results.json'), 'utf8')) as {
    variants: { perClass: { testImages: number }[] }[];
  };
  for (const v of results.variants)
    t.is(
      v.perClass.reduce((n, c) => n + c.testImages, 0),
      4,
      'two evaluation batches of two images',
    );
  // The plans ran at batch 2 (per stream): a smoke plan is a plan of its own, hashed as such.
  const plan = JSON.parse(readFileSync(join(runDir!, 'plans', 'tiny.json'), 'utf8')) as { phases: { batch: number }[] };
  t.deepEqual(
    plan.phases.map((p) => p.batch),
    [2, 2],
  );
});

test('--smoke runs FILE in a directory of its own: not with --resume, --queue or --out (bad usage, exit 2)', async (t) => {
  for (const extra of [
    ['--out', 'x'],
    ['--queue', 'redis://127.0.0.1:1'],
  ]) {
    const io = recordingIO(root);
    t.is(await main(['run', 'experiments/quickstart.lpt', '--smoke', ...extra], io), 2);
    t.regex(io.err.join(''), /--smoke runs FILE here/);
  }
  const io = recordingIO(root);
  t.is(await main(['run', '--resume', 'runs/none', '--smoke'], io), 2);
  const alone = recordingIO(root);
  t.is(await main(['run', 'experiments/quickstart.lpt', '--synthetic'], alone), 2);
  t.regex(alone.err.join(''), /--synthetic stands in for missing inputs of a smoke run only: add --smoke/);
});
