/**
 * One task of a `--slurm` run, on a node of the cluster (`lpt slurm-task RUN_DIR INDEX`, started
 * by the batch script): runs plan INDEX of the shared run directory with the local runtime, its
 * checkpoints in the run directory's own checkpoint folder, so that a task started again (requeued
 * after a preemption or a time-limit signal) resumes from the last one. On a stop signal it
 * checkpoints and, when Slurm has not already taken the task back, requeues itself.
 */
import { existsSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/atomic.ts';
import type { Plan } from '../../plan/plan.ts';
import type { ImageLoading } from '../data/pipeline/loader.ts';
import { UserError } from '../errors.ts';
import type { EventSink } from '../events.ts';
import { missingInputs } from '../run/preflight.ts';
import { runSinglePlan } from '../run/run_single_plan.ts';
import type { StopCheck } from '../run/stop_check.ts';
import type { RuntimeSettings } from '../settings.ts';
import { checkpointDir, openRunDirectory } from '../store/run_directory.ts';
import { taskFailurePath, taskResultsPath } from './files.ts';
import { requeue, taskStates } from './slurm_cli.ts';

export class SlurmTaskError extends UserError {
  override readonly name = 'SlurmTaskError';
}

/** The task's plan and the run's checkpoint retention; a clear error where the node cannot see the run directory. */
export function taskPlan(runDir: string, index: number): { plan: Plan; keepCheckpoints?: number } {
  if (!existsSync(join(runDir, 'run.json')))
    throw new SlurmTaskError(
      `the run directory ${runDir} is not there on ${hostname()}: a --slurm run directory must be on a filesystem every node shares`,
    );
  const { index: run, plans } = openRunDirectory(runDir, true);
  const plan = plans[index];
  if (plan === undefined) throw new SlurmTaskError(`${runDir} has ${plans.length} plans; there is no plan ${index}`);
  return { plan, ...(run.keepCheckpoints !== undefined ? { keepCheckpoints: run.keepCheckpoints } : {}) };
}

export interface SlurmTaskOptions {
  readonly runDir: string;
  readonly plan: Plan;
  readonly keepCheckpoints?: number;
  readonly backend: string;
  readonly settings: RuntimeSettings;
  readonly imageLoading: ImageLoading;
  readonly emit: EventSink;
  readonly shouldStop: StopCheck;
  /** JOBID_INDEX, from Slurm's environment. */
  readonly taskId: string;
  readonly say: (line: string) => void;
}

/** 'done' with the results written, 'requeued', or 'stopped' (Slurm is ending or requeuing the task itself). */
export async function runSlurmTask(o: SlurmTaskOptions): Promise<'done' | 'requeued' | 'stopped'> {
  rmSync(taskFailurePath(o.runDir, o.plan), { force: true });
  const missing = missingInputs(o.plan);
  if (missing.length > 0)
    throw new SlurmTaskError(`files are missing on ${hostname()}:\n${missing.map((m) => `  ${m}`).join('\n')}`);
  const outcome = await runSinglePlan(
    {
      plan: o.plan,
      checkpointDir: checkpointDir(o.runDir, o.plan),
      runDir: o.runDir,
      backend: o.backend,
      settings: o.settings,
      imageLoading: o.imageLoading,
      ...(o.keepCheckpoints !== undefined ? { keepCheckpoints: o.keepCheckpoints } : {}),
    },
    o.emit,
    o.shouldStop,
  );
  if (outcome.kind === 'done') {
    writeFileAtomic(taskResultsPath(o.runDir, o.plan), outcome.results);
    o.say(`finished in ${outcome.seconds.toFixed(0)} s: overall ${outcome.overall.toFixed(2)}%`);
    return 'done';
  }
  // A signal alone (the time limit's warning, scancel --signal) leaves the task RUNNING: it goes
  // back to the queue itself. A cancellation or Slurm's own requeue shows as COMPLETING: leave it.
  const job = o.taskId.split('_')[0]!;
  if (taskStates([job]).get(o.taskId)?.state !== 'RUNNING') {
    o.say('stopped with a checkpoint; Slurm is ending or requeuing the task');
    return 'stopped';
  }
  const r = requeue(o.taskId);
  o.say(r.ok ? 'stopped with a checkpoint and requeued' : `stopped with a checkpoint; requeue refused: ${r.message}`);
  return r.ok ? 'requeued' : 'stopped';
}

/** Writes why the task failed, for the submitter (when the run directory is there to write to). */
export function writeTaskFailure(runDir: string, plan: Plan, message: string): void {
  writeFileAtomic(taskFailurePath(runDir, plan), `${message}\n`);
}
