/**
 * One run directory as the view's run list shows it, read without writing anything: experiment,
 * variants and seeds, status, progress, start and duration, backend, where it runs, and its
 * results table (the cells `lpt report` prints). A broken or half-written directory gives what
 * can be read, and `problems` says what could not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../plan/plan.ts';
import { buildResultsTable, type ResultsTable } from '../../runtime/report/table.ts';
import { readQueueRecord } from '../../runtime/queue/queue_record.ts';
import { readSlurmRecord } from '../../runtime/slurm/record.ts';
import { openRunPlans, type RunIndex } from '../../runtime/store/run_directory.ts';
import { isAlive, lockPath, type LockHolder } from '../../runtime/store/run_lock.ts';
import { reportRuns } from '../commands/report_runs.ts';
import { digestEvents, type EventDigest } from './event_digest.ts';

export type RunStatus = 'running' | 'stopped' | 'finished' | 'failed' | 'not started';

export interface RunSummary {
  readonly experiment: string;
  readonly variants: readonly { readonly name: string; readonly seed?: number }[];
  readonly status: RunStatus;
  /** Why the status is what it is, in words ("pid 4242 on gpu-7 holds run.lock"). */
  readonly statusDetail: string;
  /** Variants finished (results.json) of the run's variants, and the running variant's fraction done. */
  readonly progress: { readonly done: number; readonly of: number; readonly current?: number };
  /** ms since epoch: the first event, else the lock. */
  readonly started?: number;
  readonly seconds?: number;
  readonly backend?: string;
  /** "local (host)", "queue redis://…" (queue.json) or "Slurm job 4242 (3 tasks)" (slurm.json). */
  readonly where: string;
  readonly table?: ResultsTable;
  readonly problems: readonly string[];
}

function readLock(dir: string): LockHolder | 'unreadable' | undefined {
  const path = lockPath(dir);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return 'unreadable';
  }
}

function openIndex(dir: string, problems: string[]): { index?: RunIndex; plans: Plan[] } {
  // A results.json alone (copied from elsewhere, or from an older version) is shown without plans.
  if (!existsSync(join(dir, 'run.json')) && !existsSync(join(dir, 'events.jsonl'))) return { plans: [] };
  try {
    return openRunPlans(dir);
  } catch (error) {
    problems.push((error as Error).message);
    return { plans: [] };
  }
}

function statusOf(
  events: EventDigest,
  lock: LockHolder | 'unreadable' | undefined,
  hasResults: boolean,
): { status: RunStatus; detail: string } {
  const { lastBoundary: last, lastError } = events;
  if (lock !== undefined && lock !== 'unreadable') {
    const alive = isAlive(lock);
    const holder = `pid ${lock.pid} on ${lock.host}`;
    if (alive === true) return { status: 'running', detail: `${holder} holds run.lock` };
    if (alive === undefined)
      return { status: 'running', detail: `${holder} holds run.lock (another host: not checked)` };
    return { status: 'failed', detail: `${holder} left run.lock and is gone (killed or crashed)` };
  }
  if (lock === 'unreadable') return { status: 'running', detail: 'run.lock exists but cannot be read' };
  if (last === undefined && hasResults) return { status: 'finished', detail: 'results.json only (no events.jsonl)' };
  if (last === undefined) return { status: 'not started', detail: 'no run_start event yet' };
  if (last.type === 'run_end')
    return last.stopped
      ? { status: 'stopped', detail: 'stopped on request; lpt run --resume continues it' }
      : { status: 'finished', detail: 'run_end' };
  return {
    status: 'failed',
    detail: lastError?.type === 'error' ? lastError.message : 'ended without run_end and holds no lock',
  };
}

/** slurm.json (written by `lpt run --slurm`): plan hash -> the Slurm id of its task, JOBID_INDEX. */
function slurmWhere(dir: string, problems: string[]): string | undefined {
  try {
    const record = readSlurmRecord(dir);
    if (record === null) return undefined;
    const tasks = Object.values(record.tasks);
    const jobs = [...new Set(tasks.map((task) => String(task).split('_')[0]))];
    return `Slurm job ${jobs.join(', ')} (${tasks.length} task${tasks.length === 1 ? '' : 's'})`;
  } catch (error) {
    problems.push((error as Error).message);
    return 'Slurm';
  }
}

function whereOf(dir: string, lock: LockHolder | 'unreadable' | undefined, problems: string[]): string {
  try {
    const queue = readQueueRecord(dir);
    if (queue) return `queue ${queue.queue}`;
  } catch (error) {
    problems.push((error as Error).message);
  }
  const slurm = slurmWhere(dir, problems);
  if (slurm !== undefined) return slurm;
  return lock === undefined || lock === 'unreadable' ? 'local' : `local (${lock.host})`;
}

/** Fraction of the running variant done, from its last step (runStep/runSteps when recorded). */
function currentFraction(events: EventDigest): number | undefined {
  const step = events.lastProgress;
  if (step?.type !== 'step' || step.runStep === undefined || !step.runSteps) return undefined;
  return step.runStep / step.runSteps;
}

export function summarizeRun(dir: string): RunSummary {
  const problems: string[] = [];
  const { index, plans } = openIndex(dir, problems);
  const events = digestEvents(join(dir, 'events.jsonl'));
  problems.push(...events.problems);
  const lock = readLock(dir);
  const { starts } = events;
  const hasResults = existsSync(join(dir, 'results.json'));
  const selected = hasResults ? reportRuns([dir], '/', undefined) : undefined;
  if (selected && !selected.ok) problems.push(...selected.problems);
  const results = selected?.ok ? selected.runs : [];
  const { status, detail } = statusOf(events, lock, hasResults);
  const started = events.firstTime ?? (lock && lock !== 'unreadable' ? Date.parse(lock.started) : undefined);
  const lastTime = events.lastTime;
  const end = status === 'running' ? Date.now() : lastTime;
  const done = new Set(results.flatMap((r) => r.results.variants.map((v) => v.planHash ?? v.variant))).size;
  const current = status === 'running' ? currentFraction(events) : undefined;
  return {
    experiment: index?.experiment ?? results[0]?.results.experiment ?? starts[0]?.experiment ?? '?',
    variants:
      plans.length > 0
        ? plans.map((p, i) => ({ name: index!.variants[i]!.name, seed: p.seed }))
        : [...new Set(starts.map((s) => s.variant))].map((name) => ({ name })),
    status,
    statusDetail: detail,
    progress: { done, of: index?.variants.length ?? done, ...(current !== undefined ? { current } : {}) },
    ...(started !== undefined ? { started } : {}),
    ...(started !== undefined && end !== undefined ? { seconds: (end - started) / 1000 } : {}),
    ...(starts.length > 0 ? { backend: starts.at(-1)!.backend } : {}),
    where: whereOf(dir, lock, problems),
    ...(results.length > 0 ? { table: buildResultsTable(results) } : {}),
    problems,
  };
}
