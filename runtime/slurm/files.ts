/**
 * What a `--slurm` run keeps in its run directory, beside what every run writes (docs/SLURM.md):
 * under slurm/, the batch script, each task's Slurm log, event log, results and failure message.
 * Tasks write only their own files there (and their plan's checkpoint folder); the submitter
 * turns them into events.jsonl, results.json and per_class.csv, as a local run writes them.
 */
import { join } from 'node:path';
import type { Plan } from '../../plan/plan.ts';
import { slug } from '../store/run_directory.ts';

export function slurmDir(runDir: string): string {
  return join(runDir, 'slurm');
}

/** The batch script every task of the run's job arrays runs. */
export function batchScriptPath(runDir: string): string {
  return join(slurmDir(runDir), 'task.sh');
}

/** A task's Slurm output (stdout and stderr, every attempt appended); `%a` is the array index for sbatch. */
export function taskLogPath(runDir: string, index: number | '%a'): string {
  return join(slurmDir(runDir), 'logs', `${index}.log`);
}

/** The task's run events, one JSON line each, every attempt appended (a requeued one starts with its own run_start). */
export function taskEventsPath(runDir: string, plan: Plan): string {
  return join(slurmDir(runDir), 'events', `${slug(plan)}.jsonl`);
}

/** results.json text holding the task's variant, written (atomically) when it finishes. */
export function taskResultsPath(runDir: string, plan: Plan): string {
  return join(slurmDir(runDir), 'results', `${slug(plan)}.json`);
}

/** Why the task failed, written by the task itself when it can say (a missing file, a runtime error). */
export function taskFailurePath(runDir: string, plan: Plan): string {
  return join(slurmDir(runDir), 'failed', `${slug(plan)}.txt`);
}
