/**
 * Following a `--slurm` run from the submitting machine: the run directory gets what a local run
 * writes (events.jsonl, results.json, per_class.csv; the checkpoints are there already, written by
 * the tasks themselves) as the tasks finish. Events are relayed one task at a time, in plan order
 * of the tasks that have started, a task's events ending before the next one's begin, so the
 * terminal UI, --json and events.jsonl read like a local run (other tasks' events wait in their
 * files meanwhile). A failed task is reported (its Slurm state and the end of its log) and the
 * others go on. Stopping (Ctrl-C) leaves the tasks running; `lpt run --resume RUN_DIR` follows them again.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Plan } from '../../plan/plan.ts';
import { parseRunResults, type VariantResults } from '../../plan/results.ts';
import { stamp, type EventSink } from '../events.ts';
import { localEvent, parseEvent } from '../relayed_event.ts';
import type { ExperimentOutcome } from '../run/run_experiment.ts';
import type { StopCheck } from '../run/stop_check.ts';
import { pollUntilDone } from '../run/poll_until_done.ts';
import { openRunDirectory, variantName, writeResults } from '../store/run_directory.ts';
import { taskEventsPath, taskFailurePath, taskLogPath, taskResultsPath } from './files.ts';
import { readSlurmRecord, writeSlurmRecord } from './record.ts';
import { LIVE_STATES, SlurmError, taskStates, type TaskState } from './slurm_cli.ts';

export interface SlurmFollowOptions {
  readonly runDir: string;
  readonly emit: EventSink;
  readonly shouldStop?: StopCheck;
  readonly pollMilliseconds?: number;
}

export interface FailedTask {
  readonly plan: Plan;
  readonly message: string;
}

export interface SlurmOutcome extends ExperimentOutcome {
  readonly failed: readonly FailedTask[];
}

type Status = 'waiting' | 'active' | 'completed' | 'failed';

const LOG_TAIL_LINES = 12;

export async function followSlurmRun(options: SlurmFollowOptions): Promise<SlurmOutcome> {
  const started = Date.now();
  const { runDir, emit } = options;
  const { index, plans, results: done } = openRunDirectory(runDir);
  const record = readSlurmRecord(runDir);
  if (record === null) throw new SlurmError(`${runDir} was not submitted to Slurm (no slurm.json)`);
  const relayed = new Map(Object.entries(record.relayed));
  const saveRecord = () => writeSlurmRecord(runDir, { tasks: record.tasks, relayed: Object.fromEntries(relayed) });
  const results = new Map<string | undefined, VariantResults[]>();
  for (const r of done) results.set(r.planHash, [...(results.get(r.planHash) ?? []), r]);
  const waiting = plans.filter((p) => !results.has(p.hash));
  const failed: FailedTask[] = [];
  const taskId = (plan: Plan) => record.tasks[plan.hash] ?? '?';
  let focus: Plan | null = null;

  const statusOf = (plan: Plan, states: Map<string, TaskState>): Status => {
    if (existsSync(taskResultsPath(runDir, plan))) return 'completed';
    const state = states.get(taskId(plan))?.state;
    // A task that wrote why it failed is exiting: it is reported once Slurm has its final state.
    if (existsSync(taskFailurePath(runDir, plan)))
      return state === 'RUNNING' || state === 'COMPLETING' ? 'active' : 'failed';
    if (state !== undefined && LIVE_STATES.includes(state)) return state === 'PENDING' ? 'waiting' : 'active';
    // Ended (or forgotten by squeue): the results may have landed since the check above.
    return existsSync(taskResultsPath(runDir, plan)) ? 'completed' : 'failed';
  };

  const relay = (plan: Plan) => {
    const path = taskEventsPath(runDir, plan);
    if (!existsSync(path)) return;
    const lines = readFileSync(path, 'utf8').split('\n').slice(0, -1); // whole lines only
    const from = relayed.get(plan.hash) ?? 0;
    for (const [i, line] of lines.slice(from).entries()) {
      const event = parseEvent(line);
      if (event === null) emit(stamp({ type: 'warning', message: `${path}: line ${from + i + 1} is not a run event` }));
      else if (event.type !== 'run_end') emit(localEvent(event, plan, runDir));
    }
    if (lines.length > from) {
      relayed.set(plan.hash, lines.length);
      saveRecord();
    }
  };

  const finish = (plan: Plan) => {
    const parsed = parseRunResults(readFileSync(taskResultsPath(runDir, plan), 'utf8'));
    const entries = parsed.ok ? parsed.results.variants : [];
    if (!parsed.ok || entries.length === 0 || entries.some((v) => v.planHash !== plan.hash))
      return fail(plan, `its results are not valid${parsed.ok ? '' : `: ${parsed.message}`}`, undefined);
    results.set(plan.hash, [...entries]);
    writeResults(
      runDir,
      index,
      parsed.results.boundaries,
      plans.flatMap((p) => results.get(p.hash) ?? []),
    );
    waiting.splice(waiting.indexOf(plan), 1);
  };

  const fail = (plan: Plan, why: string, state: TaskState | undefined) => {
    const message = `${variantName(plan)} failed on the cluster (task ${taskId(plan)}${state ? `, ${state.state}${state.reason && state.reason !== 'None' ? ` ${state.reason}` : ''}` : ''}): ${why}${logTail(plan)}`;
    failed.push({ plan, message });
    emit(stamp({ type: 'error', message }));
    waiting.splice(waiting.indexOf(plan), 1);
  };

  const logTail = (plan: Plan): string => {
    const path = taskLogPath(runDir, plans.indexOf(plan));
    if (!existsSync(path)) return '';
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES);
    return `\n  the end of its log, ${relative(runDir, path)}:\n${lines.map((l) => `    ${l}`).join('\n')}`;
  };

  const failureReason = (plan: Plan, state: TaskState | undefined): string => {
    const path = taskFailurePath(runDir, plan);
    if (existsSync(path)) return readFileSync(path, 'utf8').trimEnd();
    const what = state === undefined ? 'it is no longer known to squeue' : `it ended ${state.state}`;
    return existsSync(taskEventsPath(runDir, plan)) || existsSync(taskLogPath(runDir, plans.indexOf(plan)))
      ? `${what} without results`
      : `${what} without writing into the run directory: is ${runDir} on a filesystem every node shares?`;
  };

  const tick = () => {
    const states = taskStates(waiting.map((p) => taskId(p).split('_')[0]!));
    for (;;) {
      focus ??= waiting.find((p) => statusOf(p, states) !== 'waiting') ?? null;
      if (focus === null) return;
      const plan: Plan = focus;
      const status = statusOf(plan, states); // read before the events: a finished task's are complete
      relay(plan);
      if (status === 'active' || status === 'waiting') return; // waiting again: requeued
      if (status === 'completed') finish(plan);
      else fail(plan, failureReason(plan, states.get(taskId(plan))), states.get(taskId(plan)));
      focus = null;
    }
  };

  const stopped = await pollUntilDone(() => waiting.length, tick, options.shouldStop, options.pollMilliseconds ?? 1000);
  emit(stamp({ type: 'run_end', runDir, seconds: (Date.now() - started) / 1000, stopped }));
  return { stopped, results: plans.flatMap((p) => results.get(p.hash) ?? []), failed };
}
