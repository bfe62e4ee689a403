import test from 'ava';
import {
  appendFileSync,
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { summarizeRun } from '../../../cli/view/run_summary.ts';
import { discoverRuns } from '../../../cli/view/discover_runs.ts';
import {
  appendEvents,
  handMadeRunDir,
  prepareRunDirs,
  runStart,
  step,
  writeLock,
} from '../../helpers/run_dir_fixture.ts';

test.before(prepareRunDirs);

/** Every file under `dir` with its size and modification time: what a reader must leave alone. */
function snapshot(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((f) => {
      const s = statSync(join(dir, f));
      return `${f} ${s.size} ${s.mtimeMs}`;
    })
    .join('\n');
}

test('a run whose lock is held by a live process is running, with the progress of its last step', (t) => {
  const dir = handMadeRunDir();
  writeLock(dir);
  appendEvents(dir, [runStart(), step(1), step(10)]);
  const s = summarizeRun(dir);
  t.is(s.status, 'running');
  t.regex(s.statusDetail, new RegExp(`pid ${process.pid} on .* holds run.lock`));
  t.deepEqual(s.progress, { done: 0, of: 2, current: 10 / 40 });
  t.is(s.backend, 'wasm');
  t.is(s.where, `local (${s.statusDetail.split(' on ')[1]!.split(' ')[0]})`);
  t.deepEqual(
    s.variants.map((v) => v.name),
    ['tiny', 'VPT'],
  );
  t.deepEqual(s.problems, []);
});

test('finished, stopped and failed runs are told apart by run_end, its stopped flag and the lock', (t) => {
  const finished = handMadeRunDir();
  appendEvents(finished, [runStart(), step(1), { type: 'run_end', runDir: finished, seconds: 3, stopped: false }]);
  t.is(summarizeRun(finished).status, 'finished');

  const stopped = handMadeRunDir();
  appendEvents(stopped, [runStart(), step(1), { type: 'run_end', runDir: stopped, seconds: 3, stopped: true }]);
  t.is(summarizeRun(stopped).status, 'stopped');
  t.regex(summarizeRun(stopped).statusDetail, /--resume/);

  const crashed = handMadeRunDir();
  appendEvents(crashed, [runStart(), step(1), { type: 'error', message: 'out of memory in phase one' }]);
  t.is(summarizeRun(crashed).status, 'failed');
  t.is(summarizeRun(crashed).statusDetail, 'out of memory in phase one');

  const killed = handMadeRunDir();
  appendEvents(killed, [runStart(), step(1)]);
  writeLock(killed, 2 ** 22 + 12345); // above Linux's pid_max: no such process
  t.is(summarizeRun(killed).status, 'failed');
  t.regex(summarizeRun(killed).statusDetail, /left run\.lock and is gone/);

  t.is(summarizeRun(handMadeRunDir()).status, 'not started');
});

test('a growing log is read where the last read stopped; a rewritten one again from the start', (t) => {
  const dir = handMadeRunDir();
  writeLock(dir);
  appendEvents(dir, [runStart(), step(1)]);
  t.deepEqual(summarizeRun(dir).progress, { done: 0, of: 2, current: 1 / 40 });
  appendEvents(dir, [step(20)]);
  t.deepEqual(summarizeRun(dir).progress, { done: 0, of: 2, current: 20 / 40 });
  // A line in the middle that is broken is reported once, however often the list is drawn.
  appendFileSync(join(dir, 'events.jsonl'), 'not json\n');
  appendEvents(dir, [step(30)]);
  t.is(summarizeRun(dir).problems.length, 1);
  t.is(summarizeRun(dir).problems.length, 1);
  t.deepEqual(summarizeRun(dir).progress, { done: 0, of: 2, current: 30 / 40 });
  // What was read is not read again: bytes changed in place before the last read's end go unseen.
  const log = join(dir, 'events.jsonl');
  const first = readFileSync(log, 'utf8').indexOf('\n');
  const fd = openSync(log, 'r+');
  writeSync(fd, 'x'.repeat(first), 0);
  closeSync(fd);
  t.is(summarizeRun(dir).problems.length, 1);
  // Rewritten shorter (a copy put back, say): read from its start, the old lines forgotten.
  writeFileSync(join(dir, 'events.jsonl'), '');
  appendEvents(dir, [runStart(), step(5)]);
  const again = summarizeRun(dir);
  t.deepEqual(again.problems, []);
  t.deepEqual(again.progress, { done: 0, of: 2, current: 5 / 40 });
});

test('a half-written or broken run directory shows what it can and names each problem', (t) => {
  const dir = handMadeRunDir();
  appendEvents(dir, [runStart()]);
  appendFileSync(join(dir, 'events.jsonl'), 'not json\n');
  appendEvents(dir, [step(1)]);
  appendFileSync(join(dir, 'events.jsonl'), '{"type":"step","vari'); // still being written
  writeFileSync(join(dir, 'results.json'), '{"experiment": "tiny", "variants": [');
  const s = summarizeRun(dir);
  t.is(s.experiment, 'tiny');
  t.is(s.backend, 'wasm');
  t.is(s.problems.length, 2);
  t.regex(s.problems[0]!, /events\.jsonl:2: not a JSON event/);
  t.regex(s.problems[1]!, /results\.json: not valid JSON/);
  t.deepEqual(
    s.variants.map((v) => v.name),
    ['tiny', 'VPT'],
  );

  const noPlans = handMadeRunDir();
  writeFileSync(join(noPlans, 'plans', 'tiny.json'), '{}');
  appendEvents(noPlans, [runStart()]);
  const broken = summarizeRun(noPlans);
  t.regex(broken.problems.join('\n'), /plans\/tiny\.json: not a valid plan/);
  t.is(broken.experiment, 'tiny');
  t.deepEqual(
    broken.variants.map((v) => v.name),
    ['LPT'],
  );
});

test('reading a run directory writes nothing in it', (t) => {
  const dir = handMadeRunDir();
  writeLock(dir);
  appendEvents(dir, [runStart(), step(1)]);
  const before = snapshot(dir);
  summarizeRun(dir);
  discoverRuns([join(dir, '..', '..')]);
  t.is(snapshot(dir), before);
  t.is(readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n').length, 3);
});

test('runs are found under the given folders, named by root number and path, not inside a run', (t) => {
  const first = handMadeRunDir(undefined, 'a');
  const parent = join(first, '..', '..');
  handMadeRunDir(parent, 'b');
  const found = discoverRuns([parent, join(parent, 'nope'), first]);
  t.deepEqual(
    found.map((r) => r.id),
    ['0/tiny/a', '0/tiny/b', '2'],
  );
});

test('where a run runs: local with the lock holder, a queue (queue.json) or a Slurm job array (slurm.json)', (t) => {
  const local = handMadeRunDir();
  t.is(summarizeRun(local).where, 'local');
  const queued = handMadeRunDir();
  writeFileSync(join(queued, 'queue.json'), JSON.stringify({ queue: 'redis://gpu-7:6379', relayed: {} }));
  t.is(summarizeRun(queued).where, 'queue redis://gpu-7:6379');
  const slurm = handMadeRunDir();
  writeFileSync(join(slurm, 'slurm.json'), JSON.stringify({ tasks: { a: '4242_0', b: '4242_1' }, relayed: {} }));
  t.is(summarizeRun(slurm).where, 'Slurm job 4242 (2 tasks)');
  writeFileSync(join(slurm, 'slurm.json'), '{');
  t.regex(summarizeRun(slurm).problems.join('\n'), /slurm\.json: not a Slurm record/);
});
