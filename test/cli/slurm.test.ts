/**
 * `lpt run --slurm` against a real scheduler (docs/SLURM.md): a one-node Slurm cluster started by
 * scripts/ci/start_slurm.sh, the real CLI submitting the tiny experiment, compared with a local
 * run of the same file: the whole run, a task requeued mid-run (scontrol requeue), a preemption
 * signal (scancel --signal=TERM), a cancelled task and a failing one reported while the rest go
 * on, Ctrl-C and --detach leaving the tasks running, lpt cancel, re-attaching with --resume, and the
 * clear errors (a bad partition, a missing weights file, no sbatch).
 */
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import test from 'ava';
import { main } from '../../cli/main.ts';
import { useTestBackend } from '../helpers/backend.ts';
import { recordingIO } from '../helpers/cli_io.ts';
import { slurmCommand, slurmSkipReason } from '../helpers/slurm.ts';
import { lpt, type Event } from '../helpers/spawn_lpt.ts';
import { tinyPlans } from '../helpers/tiny_run.ts';

const skipped = slurmSkipReason('test/cli/slurm.test.ts');
const slurmTest = skipped === null ? test.serial : test.serial.skip;
const repo = resolve(import.meta.dirname, '../..');

test.before(async () => {
  if (skipped === null) await useTestBackend();
});

/** A folder with the tiny experiment, its weights and (through a link) the MNIST files its plans name. */
function root(): string {
  const { dir } = tinyPlans();
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const read = (path: string) => readFileSync(path, 'utf8');
const runDirOf = (out: string) => join(out, 'tiny', readdirSync(join(out, 'tiny'))[0]!);
/** The results without the wall-clock seconds, which differ between any two runs. */
const results = (runDir: string) =>
  JSON.parse(read(join(runDir, 'results.json')), (k, v: unknown) => (k === 'seconds' ? undefined : v)) as unknown;
const events = (runDir: string) =>
  read(join(runDir, 'events.jsonl'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Event);

/** One CPU per task, so that both tiny tasks run at once on a two-core machine. */
const slurmRun = (dir: string, out: string, ...more: string[]) =>
  lpt(dir, 'run', 'tiny.lpt', '--slurm', '--slurm-option', 'cpus=1', '--out', out, '--json', ...more);

// Longer phases than the tiny experiment's own, so that a test can interrupt a task mid-run.
const longer = ['--set', 'phase.one.epochs=24'];

let local: Promise<{ dir: string; runDir: string }> | undefined;
/** One local run of the tiny experiment with the longer phases: what every Slurm run must equal. */
const localRun = () =>
  (local ??= (async () => {
    const dir = root();
    const done = await lpt(dir, 'run', 'tiny.lpt', '--out', 'local', '--json', ...longer).done;
    if (done.code !== 0) throw new Error(done.stderr);
    return { dir, runDir: runDirOf(join(dir, 'local')) };
  })());

slurmTest(
  'the tiny experiment through --slurm equals a local run, and lpt report cannot tell them apart',
  async (t) => {
    t.timeout(10 * 60_000);
    const { dir, runDir: localDir } = await localRun();
    const done = await slurmRun(dir, 'slurm', ...longer).done;
    t.is(done.code, 0, done.stderr);
    t.regex(done.stderr, /2 plans on Slurm: 2 submitted \(job \d+\)/);
    t.regex(done.stderr, /2 of 2 plans finished, 0 failed/);
    const runDir = runDirOf(join(dir, 'slurm'));
    t.deepEqual(results(runDir), results(localDir));
    const types = (d: string) => events(d).map((e) => e.type);
    t.deepEqual(types(runDir), types(localDir), 'the same events in the same order');
    t.deepEqual(
      done.events.map((e) => e.type),
      types(runDir),
      '--json prints what events.jsonl holds',
    );
    const report = (d: string) => {
      const io = recordingIO(repo);
      return main(['report', d], io).then((code) => ({ code, out: io.out.join('') }));
    };
    const [a, b] = await Promise.all([report(runDir), report(localDir)]);
    t.is(a.code, 0);
    t.is(a.out, b.out);
  },
);

/** Starts a --slurm run and resolves once a checkpoint of the first plan was relayed, with its task id. */
async function midRun(dir: string, out: string) {
  const run = slurmRun(dir, out, ...longer);
  await run.waitFor('checkpoint', 1);
  const job = /submitted \(job (\d+)\)/.exec(run.stderr())![1]!;
  return { run, task: `${job}_0` };
}

slurmTest('a task requeued mid-run (scontrol requeue) resumes from its checkpoint with the same result', async (t) => {
  t.timeout(10 * 60_000);
  const { dir, runDir: localDir } = await localRun();
  const { run, task } = await midRun(dir, 'requeued');
  slurmCommand('scontrol', 'requeue', task);
  const done = await run.done;
  t.is(done.code, 0, done.stderr);
  const runDir = runDirOf(join(dir, 'requeued'));
  t.deepEqual(results(runDir), results(localDir));
  const starts = events(runDir).filter((e) => e.type === 'run_start' && e.variant === 'tiny');
  t.is(starts.length, 2, 'the requeued task started again');
  t.truthy(starts[1]!.resumedFrom, 'and resumed from a checkpoint');
});

slurmTest('a preemption signal (scancel --signal=TERM) checkpoints, requeues the task and it resumes', async (t) => {
  t.timeout(10 * 60_000);
  const { dir, runDir: localDir } = await localRun();
  const { run, task } = await midRun(dir, 'signalled');
  slurmCommand('scancel', '--signal=TERM', task);
  const done = await run.done;
  t.is(done.code, 0, done.stderr);
  const runDir = runDirOf(join(dir, 'signalled'));
  const log = read(join(runDir, 'slurm', 'logs', '0.log'));
  t.regex(log, /SIGTERM: stopping after the current step with a checkpoint/);
  t.regex(log, /stopped with a checkpoint and requeued/);
  const all = events(runDir);
  const started = all.filter((e) => e.type === 'run_start' && e.variant === 'tiny');
  t.is(started.length, 2);
  const beforeResume = all.slice(0, all.indexOf(started[1]!)).filter((e) => e.type !== 'warning');
  t.is(beforeResume.at(-1)!.type, 'checkpoint', 'the stopped attempt ended with a checkpoint');
  t.deepEqual(results(runDir), results(localDir));
});

slurmTest(
  'a task cancelled while followed is reported, the other finishes; --resume submits only it again',
  async (t) => {
    t.timeout(10 * 60_000);
    const { dir, runDir: localDir } = await localRun();
    const run = slurmRun(dir, 'cancelled', ...longer);
    await run.waitFor('run_start', 1);
    const job = /submitted \(job (\d+)\)/.exec(run.stderr())![1]!;
    slurmCommand('scancel', `${job}_1`);
    const followed = await run.done;
    t.is(followed.code, 1, 'a failed task fails the run');
    t.regex(followed.stderr, new RegExp(`VPT failed on the cluster \\(task ${job}_1, CANCELLED`));
    t.regex(followed.stderr, /1 of 2 plans finished, 1 failed/);
    t.true(
      followed.events.some((e) => e.type === 'error' && String(e.message).includes('VPT failed')),
      'the failure is a run event too',
    );
    const runDir = runDirOf(join(dir, 'cancelled'));
    const again = await lpt(dir, 'run', '--resume', runDir, '--json').done;
    t.is(again.code, 0, again.stderr);
    t.regex(again.stderr, /1 submitted \(job \d+\), 1 finished earlier/);
    t.deepEqual(results(runDir), results(localDir));
  },
);

slurmTest(
  'Ctrl-C leaves the tasks running, lpt cancel cancels them, --resume submits and follows them again',
  async (t) => {
    t.timeout(10 * 60_000);
    const { dir, runDir: localDir } = await localRun();
    // Held back for ten minutes (sbatch --begin), so that they are surely still queued when cancelled.
    const run = slurmRun(dir, 'interrupted', ...longer, '--slurm-option', 'begin=now+600');
    await run.waitForStderr(/submitted \(job \d+\)/);
    run.kill('SIGINT');
    const stopped = await run.done;
    t.is(stopped.code, 130, stopped.stderr);
    const runDir = runDirOf(join(dir, 'interrupted'));
    t.true(stopped.stderr.includes(`follow them again with: lpt run --resume ${runDir}`), stopped.stderr);
    t.false(existsSync(join(runDir, 'run.lock')), 'the submitter let go of the run directory');
    const job = /submitted \(job (\d+)\)/.exec(stopped.stderr)![1]!;
    const cancel = await lpt(dir, 'cancel', runDir).done;
    t.is(cancel.code, 0, cancel.stderr);
    t.true(cancel.stderr.includes(`cancelled 2 tasks (${job}_0 ${job}_1)`), cancel.stderr);
    const resumed = await lpt(dir, 'run', '--resume', runDir, '--json').done;
    t.is(resumed.code, 0, resumed.stderr);
    t.regex(resumed.stderr, /2 plans on Slurm: 2 submitted/);
    t.deepEqual(results(runDir), results(localDir));
  },
);

slurmTest('--detach submits, says how to follow the run and exits; its tasks are queued', async (t) => {
  const dir = root();
  const detached = await slurmRun(dir, 'detached', '--detach').done;
  t.is(detached.code, 0, detached.stderr);
  const runDir = runDirOf(join(dir, 'detached'));
  t.true(detached.stderr.includes(`follow them again with: lpt run --resume ${runDir}`));
  t.false(existsSync(join(runDir, 'run.lock')), 'the submitter let go of the run directory');
  const job = /submitted \(job (\d+)\)/.exec(detached.stderr)![1]!;
  t.regex(
    slurmCommand('squeue', '--noheader', '--array', '--states=all', `--jobs=${job}`, '--format=%T'),
    /PENDING|RUNNING|COMPLETED/,
  );
  const cancel = await lpt(dir, 'cancel', runDir).done;
  t.is(cancel.code, 0, cancel.stderr);
});

slurmTest("a task that cannot read the weights on the node fails with the file's name", async (t) => {
  t.timeout(5 * 60_000);
  const dir = root();
  rmSync(join(dir, 'tiny.safetensors'));
  const done = await slurmRun(dir, 'missing').done;
  t.is(done.code, 1);
  t.regex(done.stderr, /tiny failed on the cluster \(task \d+_0, FAILED[^)]*\): files are missing on \S+:/);
  const failure = done.events.find((e) => e.type === 'error' && String(e.message).startsWith('tiny failed'));
  t.regex(String(failure?.message), /tiny\.safetensors does not exist/);
  t.regex(String(failure?.message), /the end of its log, slurm\/logs\/0\.log:\n.*files are missing/);
  t.regex(done.stderr, /0 of 2 plans finished, 2 failed/);
  t.false(existsSync(join(runDirOf(join(dir, 'missing')), 'results.json')));
});

slurmTest("a bad partition is Slurm's own clear error, and no run directory is left", async (t) => {
  const dir = root();
  const done = await slurmRun(dir, 'rejected', '--slurm-option', 'partition=no_such_partition').done;
  t.is(done.code, 1);
  t.regex(done.stderr, /lpt run: Slurm rejected the submission: .*invalid partition/i);
  t.false(done.stderr.includes('    at '), 'no stack trace');
  t.deepEqual(readdirSync(join(dir, 'rejected', 'tiny')), []);
});

slurmTest('no sbatch on PATH is a clear error before anything is written', async (t) => {
  const dir = root();
  const io = recordingIO(dir);
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    t.is(await main(['run', 'tiny.lpt', '--slurm', '--out', 'none'], io), 1);
  } finally {
    process.env.PATH = path;
  }
  t.regex(io.err.join(''), /lpt run: no sbatch on PATH/);
  t.false(existsSync(join(dir, 'none')));
});
