/**
 * Slurm's own commands, run as child processes: sbatch submits, squeue says where each task
 * stands, scancel cancels, scontrol requeues. Their failures become SlurmErrors carrying Slurm's
 * own message (an unknown partition, a limit), and a missing command says what to install.
 */
import { spawnSync } from 'node:child_process';
import { UserError } from '../errors.ts';

export class SlurmError extends UserError {
  override readonly name = 'SlurmError';
}

function slurm(command: string, args: readonly string[]): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error !== undefined) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new SlurmError(
      code === 'ENOENT'
        ? `no ${command} on PATH: --slurm submits with Slurm's commands; run lpt on a machine of the cluster (a login node), or install Slurm's client commands (Debian: apt-get install slurm-client)`
        : `cannot run ${command} (${r.error.message})`,
    );
  }
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr.trim() };
}

/** Throws the clear error when Slurm's commands are not on PATH; call before anything is written. */
export function requireSlurm(): void {
  slurm('sbatch', ['--version']);
}

/** Submits; returns the job id (sbatch --parsable prints "ID" or "ID;CLUSTER"). */
export function sbatch(args: readonly string[]): string {
  const r = slurm('sbatch', ['--parsable', ...args]);
  const id = r.stdout.trim().split(';')[0] ?? '';
  if (!r.ok || !/^\d+$/.test(id))
    throw new SlurmError(`Slurm rejected the submission: ${r.stderr || r.stdout.trim() || 'sbatch printed no job id'}`);
  return id;
}

export interface TaskState {
  /** PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, ... */
  readonly state: string;
  readonly reason: string;
}

/** Slurm states in which a task may still run (or run again). */
export const LIVE_STATES: readonly string[] = [
  'PENDING',
  'CONFIGURING',
  'RUNNING',
  'COMPLETING',
  'REQUEUED',
  'REQUEUE_HOLD',
  'REQUEUE_FED',
  'RESIZING',
  'SUSPENDED',
  'STOPPED',
  'SIGNALING',
  'STAGE_OUT',
  'RESV_DEL_HOLD',
  'SPECIAL_EXIT',
];

/**
 * The state of every task of these array jobs that squeue still knows (finished tasks stay known
 * for the cluster's MinJobAge, 300 s by default), keyed by JOBID_INDEX.
 */
export function taskStates(jobIds: readonly string[]): Map<string, TaskState> {
  const states = new Map<string, TaskState>();
  for (const job of new Set(jobIds)) {
    const r = slurm('squeue', ['--noheader', '--array', '--states=all', `--jobs=${job}`, '--format=%i|%T|%r']);
    if (!r.ok) {
      if (/invalid job id/i.test(r.stderr)) continue; // forgotten by the controller
      throw new SlurmError(`squeue failed: ${r.stderr}`);
    }
    for (const line of r.stdout.split('\n')) {
      const [id, state, reason] = line.trim().split('|');
      if (id && state) states.set(id, { state, reason: reason ?? '' });
    }
  }
  return states;
}

/** Cancels these tasks (JOBID_INDEX); Slurm's message when it refuses. */
export function scancel(taskIds: readonly string[]): void {
  if (taskIds.length === 0) return;
  const r = slurm('scancel', [...taskIds]);
  if (!r.ok) throw new SlurmError(`scancel failed: ${r.stderr}`);
}

/** Puts a running task back in the queue (it starts again later, from its checkpoint); false when Slurm refused. */
export function requeue(taskId: string): { ok: boolean; message: string } {
  const r = slurm('scontrol', ['requeue', taskId]);
  return { ok: r.ok, message: r.stderr };
}
