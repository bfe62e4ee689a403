/**
 * Runs that share a machine and get stopped by schedulers, as a user meets them: three `lpt run`
 * processes into one --out, SIGTERM mid-phase then --resume, a second SIGTERM, and the lock that
 * refuses a second --resume of a live run. Each spawns the real CLI on the tiny experiment.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { main } from '../../cli/main.ts';
import type { RunResults } from '../../plan/results.ts';
import { timestamp } from '../../runtime/store/run_directory.ts';
import { recordingIO } from '../helpers/cli_io.ts';
import { useTestBackend } from '../helpers/backend.ts';
import { tinyPlans } from '../helpers/tiny_run.ts';
import { lpt } from '../helpers/spawn_lpt.ts';

test.before(async () => {
  await useTestBackend();
});

const resultsOf = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResults;
const table = (r: RunResults) => r.variants.map((v) => [v.variant, v.accuracy, v.perClass, v.trainCounts]);
const countType = (runDir: string, type: string) =>
  readFileSync(join(runDir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => (JSON.parse(l) as { type: string }).type === type).length;

// The uninterrupted result, from the concurrent runs, for the SIGTERM test to compare with.
let uninterrupted: RunResults | undefined;

test.serial(
  'three runs started at once into one --out get three intact run directories with identical tables',
  async (t) => {
    const { dir } = tinyPlans();
    // The runs rarely start in the same second on a busy machine: the names of the next five minutes
    // are taken already, so every run must claim a suffixed name, racing the others for `_2`, `_3`.
    for (let s = 0; s < 300; s++)
      mkdirSync(join(dir, 'out', 'tiny', timestamp(new Date(Date.now() + s * 1000))), { recursive: true });
    const runs = [1, 2, 3].map(() => lpt(dir, 'run', 'tiny.lpt', '--variant', 'VPT', '--out', 'out', '--json'));
    const ends = await Promise.all(runs.map((r) => r.done));
    t.deepEqual(
      ends.map((e) => e.code),
      [0, 0, 0],
      ends.map((e) => e.stderr).join('\n'),
    );
    const dirs = ends.map((e) => e.events.at(-1)!.runDir as string);
    t.is(new Set(dirs).size, 3, dirs.join(', '));
    for (const runDir of dirs) {
      t.regex(runDir.slice(join(dir, 'out', 'tiny').length), /^\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d_[234]$/);
      t.is(countType(runDir, 'run_start'), 1, runDir);
      t.is(countType(runDir, 'run_end'), 1, runDir);
      t.false(existsSync(join(runDir, 'run.lock')), 'the lock is released at the end');
    }
    const [first, ...others] = dirs.map(resultsOf);
    for (const other of others) t.deepEqual(table(other), table(first!));
    uninterrupted = first;
  },
);

// The tiny run takes seconds: the child is paused (SIGSTOP) while the test looks at it and sends
// its signals, which it then handles as soon as it continues (SIGCONT), mid-phase.
test.serial(
  'SIGTERM mid-phase writes a checkpoint and exits 143; a live run refuses a second --resume; resumed from another directory, the result equals an uninterrupted run',
  async (t) => {
    const { dir } = tinyPlans();
    const run = lpt(dir, 'run', 'tiny.lpt', '--variant', 'VPT', '--out', 'out', '--json');
    const live = (await run.waitFor('step', 4))[0]!.runDir as string;
    run.kill('SIGSTOP');

    const io = recordingIO(dir);
    t.is(await main(['run', '--resume', live], io), 1);
    t.regex(io.err.join(''), new RegExp(`is in use by pid ${run.pid} on .*lpt\\.js run tiny\\.lpt`));

    run.kill('SIGTERM');
    run.kill('SIGCONT');
    const stopped = await run.done;
    t.is(stopped.code, 143, stopped.stderr);
    t.regex(stopped.stderr, /SIGTERM: stopping after the current step/);
    t.true(stopped.stderr.includes(`resume with: npx lpt run --resume ${live}`), stopped.stderr);
    t.like(stopped.events.at(-1), { type: 'run_end', stopped: true, runDir: live });
    const steps = stopped.events.filter((e) => e.type === 'step').length;
    t.true(steps < 11, `stopped in the first epoch (after ${steps} steps)`);
    t.like(stopped.events.filter((e) => e.type === 'checkpoint').at(-1), { epoch: 0, step: steps - 1 });
    t.false(existsSync(join(live, 'results.json')));
    t.false(existsSync(join(live, 'run.lock')));

    // Resumed from another directory, as a scheduler's requeue may: the plan's relative paths (the
    // weights file) still resolve against the directory the run started in.
    const elsewhere = mkdtempSync(join(tmpdir(), 'lpt-elsewhere-'));
    const resumed = await lpt(elsewhere, 'run', '--resume', live, '--json').done;
    t.is(resumed.code, 0, resumed.stderr);
    t.truthy(resumed.events.find((e) => e.type === 'run_start' && e.resumedFrom === `one-e0-s${steps}.safetensors`));
    t.truthy(uninterrupted, 'needs the uninterrupted run of the test before');
    t.deepEqual(table(resultsOf(live)), table(uninterrupted!));
  },
);

test.serial('a second signal exits at once, without a checkpoint or run_end, and leaves no lock behind', async (t) => {
  const { dir } = tinyPlans();
  const run = lpt(dir, 'run', 'tiny.lpt', '--variant', 'VPT', '--out', 'out', '--json');
  const runDir = (await run.waitFor('step', 2))[0]!.runDir as string;
  run.kill('SIGSTOP');
  run.kill('SIGTERM');
  run.kill('SIGHUP');
  run.kill('SIGCONT');
  // Both are pending when the process resumes; which one Node hands over first is not fixed, so
  // the first asks to stop and the other quits at once with its own status (128 + its number).
  const ended = await run.done;
  const first = /(SIGHUP|SIGTERM): stopping after the current step/.exec(ended.stderr)?.[1];
  t.truthy(first, ended.stderr);
  t.is(ended.code, first === 'SIGHUP' ? 143 : 129, ended.stderr);
  t.false(ended.events.some((e) => e.type === 'run_end' || e.type === 'checkpoint'));
  t.false(existsSync(join(runDir, 'run.lock')));
});
