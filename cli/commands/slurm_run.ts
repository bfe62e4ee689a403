/**
 * `lpt run --slurm`: the run directory is made here as for a local run (on a filesystem the nodes
 * share), its plans go to Slurm as a job array (runtime/slurm/submit.ts) and the run is followed
 * from there (runtime/slurm/follow.ts) instead of trained in this process. A run directory with
 * slurm.json was submitted to Slurm, and `--resume` re-attaches to it: tasks still queued or
 * running are followed, finished ones are not submitted again, and tasks that ended without
 * results (failed, cancelled) are submitted again, resuming from their checkpoints.
 */
import { rmSync } from 'node:fs';
import type { Plan, PlanSlurm } from '../../plan/plan.ts';
import type { EventSink } from '../../runtime/events.ts';
import type { StopCheck } from '../../runtime/run/stop_check.ts';
import { followSlurmRun, type SlurmOutcome } from '../../runtime/slurm/follow.ts';
import { readSlurmRecord, writeSlurmRecord } from '../../runtime/slurm/record.ts';
import { LIVE_STATES, requireSlurm, taskStates, type TaskState } from '../../runtime/slurm/slurm_cli.ts';
import { submitTasks } from '../../runtime/slurm/submit.ts';
import { createRunDirectory, openRunDirectory, reserveRunDirectory } from '../../runtime/store/run_directory.ts';
import { acquireRunLock, type RunLock } from '../../runtime/store/run_lock.ts';
import { existsSync } from 'node:fs';
import { taskResultsPath } from '../../runtime/slurm/files.ts';

/** Whether a run goes through Slurm: --slurm, or a resumed run directory that was submitted to it. */
export function isSlurmRun(flag: boolean, resumedDir: string | undefined): boolean {
  return flag || (resumedDir !== undefined && readSlurmRecord(resumedDir) !== null);
}

export interface SlurmRun {
  readonly runDir: string;
  readonly lock: RunLock;
  readonly go: (emit: EventSink, shouldStop: StopCheck) => Promise<SlurmOutcome>;
}

export interface SlurmRunOptions {
  readonly overrides: PlanSlurm;
  readonly backend?: string;
  readonly keepCheckpoints?: number;
  readonly cwd: string;
  readonly stderr: (text: string) => void;
}

/**
 * Checks that Slurm is there, then (for a new run) reserves and fills the run directory under its
 * lock and submits; a rejected submission removes the new directory again. `start.lock` is a
 * resumed directory's lock.
 */
export async function prepareSlurmRun(
  start: { readonly plans: readonly Plan[]; readonly base: string; readonly runDir?: string; readonly lock?: RunLock },
  o: SlurmRunOptions,
): Promise<SlurmRun> {
  requireSlurm();
  const warn = (message: string) => o.stderr(`lpt run: warning: ${message}`);
  let { runDir, lock } = start;
  const fresh = runDir === undefined || lock === undefined;
  if (runDir === undefined || lock === undefined) {
    runDir = reserveRunDirectory(start.base);
    lock = acquireRunLock(runDir, warn);
    createRunDirectory(runDir, start.plans, o.keepCheckpoints);
  }
  try {
    const { plans, results } = openRunDirectory(runDir);
    const record = readSlurmRecord(runDir) ?? { tasks: {}, relayed: {} };
    const dir = runDir;
    const unfinished = plans.filter((p) => !results.some((r) => r.planHash === p.hash));
    const states = await settledStates(unfinished.flatMap((p) => record.tasks[p.hash] ?? []));
    const running = unfinished.filter((p) => {
      const state = states.get(record.tasks[p.hash] ?? '')?.state;
      return (state !== undefined && LIVE_STATES.includes(state)) || existsSync(taskResultsPath(dir, p));
    });
    const submit = unfinished.filter((p) => !running.includes(p));
    const submitted = submit.length > 0 ? submitTasks({ runDir, plans, ...o }, submit) : new Map<string, string>();
    writeSlurmRecord(runDir, { tasks: { ...record.tasks, ...Object.fromEntries(submitted) }, relayed: record.relayed });
    o.stderr(describeSubmission(runDir, plans.length, submitted, running.length));
  } catch (e) {
    lock.release();
    if (fresh) rmSync(runDir, { recursive: true, force: true }); // nothing half-written
    throw e;
  }
  const dir = runDir;
  return { runDir: dir, lock, go: (emit, shouldStop) => followSlurmRun({ runDir: dir, emit, shouldStop }) };
}

/** Slurm's states of these tasks, once none is COMPLETING (being cancelled or requeued: it ends, or waits again, in seconds). */
async function settledStates(taskIds: readonly string[]): Promise<Map<string, TaskState>> {
  const jobs = taskIds.map((id) => id.split('_')[0]!);
  for (let waited = 0; ; waited++) {
    const states = taskStates(jobs);
    if (waited >= SETTLE_SECONDS || !taskIds.some((id) => states.get(id)?.state === 'COMPLETING')) return states;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const SETTLE_SECONDS = 120;

function describeSubmission(runDir: string, total: number, submitted: Map<string, string>, running: number): string {
  const jobs = [...new Set([...submitted.values()].map((id) => id.split('_')[0]))];
  const done = total - submitted.size - running;
  const parts = [
    ...(submitted.size > 0
      ? [`${submitted.size} submitted (job${jobs.length === 1 ? '' : 's'} ${jobs.join(', ')})`]
      : []),
    ...(running > 0 ? [`${running} already queued or running`] : []),
    ...(done > 0 ? [`${done} finished earlier`] : []),
  ];
  return `lpt run: ${total} plan${total === 1 ? '' : 's'} on Slurm: ${parts.join(', ')}; run directory ${runDir} (on a filesystem the nodes share)`;
}

/** How to follow or cancel the run's tasks, once this process leaves them running. */
export function reattachHint(runDir: string): string {
  return `lpt run: the tasks go on running on the cluster; follow them again with: lpt run --resume ${runDir}; cancel them with: lpt cancel ${runDir}`;
}

/** The end of a followed run: what finished and what failed. */
export function describeOutcome(outcome: SlurmOutcome, total: number): string {
  const finished = new Set(outcome.results.map((r) => r.planHash)).size;
  const failed = outcome.failed.map((f) => `  ${f.message.split('\n')[0]}`);
  return `lpt run: ${finished} of ${total} plans finished, ${outcome.failed.length} failed${failed.length > 0 ? `:\n${failed.join('\n')}` : ''}`;
}
