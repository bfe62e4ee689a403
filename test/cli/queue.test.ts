/**
 * Distributed runs as a user meets them (docs/QUEUE.md): a redis-server on a loopback port (with a
 * password), `lpt worker` processes and `lpt run --queue` spawned as real CLIs on the tiny
 * experiment, compared with a local `lpt run` of the same file: two workers, a repeated
 * submission, a worker killed with SIGKILL mid-job, and the clear errors (a bad URL, a stopped
 * Redis, a plan reaching outside the data root). The password never appears in output or files.
 */
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { main } from '../../cli/main.ts';
import { useTestBackend } from '../helpers/backend.ts';
import { recordingIO } from '../helpers/cli_io.ts';
import { freePort, redisSkipReason, startRedis, type TestRedis } from '../helpers/redis.ts';
import { lpt, type Spawned } from '../helpers/spawn_lpt.ts';
import { imageFolderExperiment, writeImageFolder } from '../helpers/image_folder_tiny.ts';
import { tinyExperiment, tinyPlans } from '../helpers/tiny_run.ts';

const skipped = redisSkipReason('test/cli/queue.test.ts');
const queueTest = skipped === null ? test.serial : test.serial.skip;
const repo = resolve(import.meta.dirname, '../..');

let redis: TestRedis | undefined;
const workers: Spawned[] = [];

test.before(async () => {
  if (skipped !== null) return;
  await useTestBackend();
  redis = await startRedis();
});

test.after.always(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await redis?.stop();
});

/** A data root holding the tiny experiment, its weights and (through a link) the MNIST files its plans name. */
function dataRoot(source = tinyExperiment): string {
  const { dir } = tinyPlans(source);
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** A worker killed when the test ends; its lock expires after 10 s (short for the kill test, long enough for a loaded machine). */
function worker(t: ExecutionContext, root: string): Spawned {
  const w = lpt(repo, 'worker', '--queue', redis!.url, '--data-root', root, '--stall-seconds', '10');
  workers.push(w);
  t.teardown(() => w.kill('SIGKILL'));
  return w;
}

const onlyDir = (parent: string) => join(parent, readdirSync(parent)[0]!);
const runDirOf = (out: string) => onlyDir(join(out, 'tiny'));
const read = (path: string) => readFileSync(path, 'utf8');
/** The results without the wall-clock seconds, which differ between any two runs, and the plan hashes, which name the data root. */
const results = (runDir: string) =>
  JSON.parse(read(join(runDir, 'results.json')), (k, v: unknown) =>
    k === 'seconds' || k === 'planHash' ? undefined : v,
  ) as unknown;
const hashes = (runDir: string, file: string) =>
  (JSON.parse(read(join(runDir, file))) as { variants: { planHash: string }[] }).variants.map((v) => v.planHash);
const eventTypes = (runDir: string) =>
  read(join(runDir, 'events.jsonl'))
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { type: string }).type)
    .filter((t) => t !== 'step');

async function localRun(root: string): Promise<string> {
  const local = await lpt(repo, 'run', join(root, 'tiny.lpt'), '--out', join(root, 'local'), '--json').done;
  if (local.code !== 0) throw new Error(local.stderr);
  return runDirOf(join(root, 'local'));
}

// The tiny experiment's results do not depend on where its files lie (the weights are seeded): one
// local run serves every test of the plain experiment.
let localTiny: Promise<string> | undefined;
const localTinyRun = () => (localTiny ??= localRun(dataRoot()));

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

queueTest(
  "two workers run the plans; the run directory equals a local run's; submitting again runs nothing twice",
  async (t) => {
    t.timeout(10 * 60_000);
    const root = dataRoot();
    const pair = [worker(t, root), worker(t, root)];
    await Promise.all(pair.map((w) => w.waitForStderr(/waiting for jobs/)));
    const submit = lpt(
      repo,
      'run',
      join(root, 'tiny.lpt'),
      '--queue',
      redis!.url,
      '--out',
      join(root, 'queued'),
      '--json',
    );
    await submit.waitFor('run_start', 1);
    const runDir = runDirOf(join(root, 'queued'));
    t.true(existsSync(join(runDir, 'run.lock')), "the submitter holds the run directory's lock");
    t.false(
      read(join(runDir, 'run.lock')).includes(redis!.password),
      'run.lock names the command without the password',
    );
    const done = await submit.done;
    t.is(done.code, 0, done.stderr);
    t.regex(done.stderr, /2 plans on the queue redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(2 added\)/);
    await Promise.all(pair.map((w) => w.waitForStderr(/finished in/)));
    t.true(
      pair.every((w) => /job \w+ \(tiny\S*\) started/.test(w.stderr())),
      'each worker ran one of the two plans',
    );

    const local = await localTinyRun();
    t.deepEqual(results(runDir), results(local));
    t.deepEqual(hashes(runDir, 'results.json'), hashes(runDir, 'run.json'));
    t.is(read(join(runDir, 'per_class.csv')), read(join(local, 'per_class.csv')));
    t.deepEqual(eventTypes(runDir), eventTypes(local), 'the events read like a local run of the same plans');
    t.deepEqual(
      readdirSync(join(runDir, 'checkpoints', 'tiny')).sort(),
      readdirSync(join(local, 'checkpoints', 'tiny')).sort(),
    );
    const report = (dir: string) => {
      const io = recordingIO(repo);
      return main(['report', dir], io).then((code) => ({ code, text: io.out.join('\n').split(dir).join('RUN') }));
    };
    t.deepEqual(await report(runDir), await report(local), 'lpt report cannot tell the two apart');

    // The same plans again: the jobs are found finished, nothing runs twice, the results are the same.
    const again = await lpt(
      repo,
      'run',
      join(root, 'tiny.lpt'),
      '--queue',
      redis!.url,
      '--out',
      join(root, 'again'),
      '--json',
    ).done;
    t.is(again.code, 0, again.stderr);
    t.regex(again.stderr, /\(0 added, 2 already there \(not run again\)\)/);
    t.deepEqual(results(runDirOf(join(root, 'again'))), results(local));
    t.is(
      pair.map((w) => w.stderr().match(/ started/g)?.length ?? 0).reduce((a, b) => a + b),
      2,
      'each plan ran once',
    );

    const texts = [
      done.stdout,
      done.stderr,
      again.stdout,
      again.stderr,
      ...pair.map((w) => w.stderr()),
      ...allFiles(runDir)
        .filter((f) => !f.endsWith('.safetensors'))
        .map(read),
    ];
    t.false(
      texts.some((text) => text.includes(redis!.password)),
      'the password is in no output and no run file',
    );
  },
);

queueTest(
  "a worker killed with SIGKILL mid-job: the job returns to the queue, another worker resumes it from its checkpoint, the results are a local run's",
  async (t) => {
    t.timeout(10 * 60_000);
    // Longer phases, so the kill lands mid-job.
    const root = dataRoot(
      tinyExperiment.replace('epochs 2; batch 8', 'epochs 6; batch 8').replace('epochs 1 }', 'epochs 3 }'),
    );
    const doomed = worker(t, root);
    const submit = lpt(
      repo,
      'run',
      join(root, 'tiny.lpt'),
      '--variant',
      'tiny',
      '--queue',
      redis!.url,
      '--out',
      join(root, 'queued'),
      '--json',
    );
    await submit.waitFor('checkpoint', 2);
    doomed.kill('SIGKILL');
    const rescuer = worker(t, root);
    const done = await submit.done;
    t.is(done.code, 0, done.stderr);
    t.regex(rescuer.stderr(), /started, from the checkpoint another worker left/);
    const starts = done.events.filter((e) => e.type === 'run_start');
    t.is(starts.length, 2, 'the first attempt and the resumed one');
    t.regex(String(starts[1]!.resumedFrom), /one-e\d-s0\.safetensors$/);
    const local = await lpt(
      repo,
      'run',
      join(root, 'tiny.lpt'),
      '--variant',
      'tiny',
      '--out',
      join(root, 'local'),
      '--json',
    ).done;
    t.is(local.code, 0, local.stderr);
    t.deepEqual(results(runDirOf(join(root, 'queued'))), results(runDirOf(join(root, 'local'))));
  },
);

queueTest('the submitter stopped and re-attached with --resume loses no finished job', async (t) => {
  t.timeout(10 * 60_000);
  const root = dataRoot();
  const w = worker(t, root);
  await w.waitForStderr(/waiting for jobs/);
  const submit = lpt(
    repo,
    'run',
    join(root, 'tiny.lpt'),
    '--queue',
    redis!.url,
    '--out',
    join(root, 'queued'),
    '--json',
  );
  await submit.waitFor('run_start', 1);
  submit.kill('SIGINT');
  const stopped = await submit.done;
  t.is(stopped.code, 130, stopped.stderr);
  const runDir = runDirOf(join(root, 'queued'));
  await w.waitForStderr(/VPT\) finished/);
  // The password is not stored: --resume asks for the URL again.
  const io = recordingIO(repo);
  t.is(await main(['run', '--resume', runDir], io), 2);
  t.regex(io.err.join('\n'), /never stores the password/);
  const resumed = await lpt(repo, 'run', '--resume', runDir, '--queue', redis!.url, '--json').done;
  t.is(resumed.code, 0, resumed.stderr);
  t.deepEqual(
    resumed.events.filter((e) => e.type === 'evaluation').map((e) => e.variant),
    ['tiny', 'VPT'],
  );
  t.deepEqual(results(runDir), results(await localTinyRun()));
});

queueTest(
  'an image-folder plan run by a worker says, through the submitter, which decoder and image workers that machine uses',
  async (t) => {
    t.timeout(5 * 60_000);
    const root = dataRoot(imageFolderExperiment);
    await writeImageFolder(root);
    const one = worker(t, root);
    await one.waitForStderr(/waiting for jobs/);
    const done = await lpt(
      repo,
      'run',
      join(root, 'tiny.lpt'),
      '--variant',
      'VPT',
      '--queue',
      redis!.url,
      '--out',
      join(root, 'queued'),
    ).done;
    t.is(done.code, 0, done.stderr);
    t.regex(
      done.stdout,
      /images: decoder sharp \S+ \(libvips [^)]+\) \([^)]+\); \d+ worker process(es)?, batches read ahead/,
    );
    const events = read(join(runDirOf(join(root, 'queued')), 'events.jsonl'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; decoder?: string });
    t.regex(events.find((e) => e.type === 'data_pipeline')?.decoder ?? '', /^sharp /, 'events.jsonl records it too');
  },
);

queueTest("a plan that reads outside the worker's data root fails with the path named", async (t) => {
  const root = dataRoot();
  worker(t, join(root, 'node_modules')); // the weights file lies one level up
  const done = await lpt(
    repo,
    'run',
    join(root, 'tiny.lpt'),
    '--variant',
    'VPT',
    '--queue',
    redis!.url,
    '--out',
    join(root, 'queued'),
  ).done;
  t.is(done.code, 1);
  t.regex(
    done.stderr,
    new RegExp(
      `VPT failed on a worker \\(job \\w+\\): plan 'tiny/baseline/VPT' reads outside the worker's data root ${join(root, 'node_modules')}`,
    ),
  );
  t.true(done.stderr.includes(`the weights of backbone 'vit': ${join(root, 'tiny.safetensors')}`));
  t.false(existsSync(join(runDirOf(join(root, 'queued')), 'results.json')), 'no results written');
});

queueTest('a bad URL and a stopped Redis are clear errors, and nothing is written', async (t) => {
  const root = dataRoot();
  const port = await freePort(); // nothing listens there
  const cases: [string[], RegExp][] = [
    [
      ['run', join(root, 'tiny.lpt'), '--queue', 'http://127.0.0.1:6390'],
      /lpt run: --queue: 'http:\/\/127\.0\.0\.1:6390' is not a Redis URL/,
    ],
    [
      ['run', join(root, 'tiny.lpt'), '--queue', `redis://:s3cret@127.0.0.1:${port}`],
      new RegExp(
        `lpt run: cannot reach the queue at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\); is redis-server running there\\?`,
      ),
    ],
    [
      ['worker', '--queue', `redis://:s3cret@127.0.0.1:${port}`],
      new RegExp(`lpt worker: cannot reach the queue at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}`),
    ],
    [
      ['worker', '--queue', 'redis://:s3cret@127.0.0.1:99999'],
      /lpt worker: --queue: 'redis:\/\/:\*\*\*@127\.0\.0\.1:99999' is not a URL/,
    ],
  ];
  for (const [args, message] of cases) {
    const io = recordingIO(repo);
    const code = await main([...args, ...(args[0] === 'run' ? ['--out', join(root, 'out')] : [])], io);
    const err = io.err.join('\n');
    t.is(code, 1, err);
    t.regex(err, message);
    t.false(err.includes('s3cret'));
  }
  t.false(existsSync(join(root, 'out')), 'no run directory');
});

queueTest('Redis going away under a following submitter is a clear error; the run directory stays whole', async (t) => {
  const root = dataRoot();
  const own = await startRedis();
  const submit = lpt(repo, 'run', join(root, 'tiny.lpt'), '--queue', own.url, '--out', join(root, 'queued'), '--json');
  await submit.waitForStderr(/workers take them/);
  await own.stop();
  const done = await submit.done;
  t.is(done.code, 1, done.stderr);
  t.regex(done.stderr, /lpt run: lost the connection to the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ for 1\d s/);
  t.false(done.stderr.includes(own.password));
  const runDir = runDirOf(join(root, 'queued'));
  t.deepEqual(
    readdirSync(runDir).sort(),
    ['events.jsonl', 'plans', 'queue.json', 'run.json'],
    'the plans and the record, no results, the lock released',
  );
});
