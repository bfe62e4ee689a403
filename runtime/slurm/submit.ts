/**
 * Submitting a run's plans to Slurm: one job array per set of resources (all plans of a file
 * usually share one), whose task index is the plan's place in the run directory's run.json, so a
 * task finds its plan there. Every task runs the same batch script (slurm/task.sh), which starts
 * `lpt slurm-task RUN_DIR INDEX` as a job step with srun: a step receives the signals Slurm sends
 * before the time limit (--signal) and with `scancel --signal`, which a batch shell would not pass on.
 */
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../io/atomic.ts';
import type { Plan, PlanSlurm } from '../../plan/plan.ts';
import { batchScriptPath, taskFailurePath, taskLogPath } from './files.ts';
import { resourceArguments, taskResources } from './resources.ts';
import { sbatch } from './slurm_cli.ts';

export interface SubmitOptions {
  readonly runDir: string;
  /** Every plan of the run, in run.json's order (a task's index is its plan's place here). */
  readonly plans: readonly Plan[];
  /** --slurm-option settings, winning over each plan's slurm(...). */
  readonly overrides: PlanSlurm;
  /** --backend for every task; the plan's backend when absent. */
  readonly backend?: string;
  /** The directory the tasks start in (the plans' relative paths are anchored to run.json's workdir anyway). */
  readonly cwd: string;
}

/** Submits `pending` (plans of the run); returns each one's task id (JOBID_INDEX) by plan hash. */
export function submitTasks(options: SubmitOptions, pending: readonly Plan[]): Map<string, string> {
  const { runDir, plans } = options;
  writeBatchScript(runDir, options.backend);
  mkdirSync(dirname(taskLogPath(runDir, 0)), { recursive: true }); // Slurm opens the logs before the task starts
  const groups = new Map<string, Plan[]>();
  for (const plan of pending) {
    const key = JSON.stringify(resourceArguments(taskResources(plan, options.overrides)));
    groups.set(key, [...(groups.get(key) ?? []), plan]);
  }
  const tasks = new Map<string, string>();
  for (const [key, group] of groups) {
    const indices = group.map((p) => plans.indexOf(p));
    for (const plan of group) rmSync(taskFailurePath(runDir, plan), { force: true }); // a new attempt
    const jobId = sbatch([
      `--array=${indices.join(',')}`,
      `--job-name=lpt-${plans[0]!.experiment}`,
      '--requeue',
      '--open-mode=append',
      `--output=${taskLogPath(runDir, '%a')}`,
      `--chdir=${options.cwd}`,
      ...(JSON.parse(key) as string[]),
      batchScriptPath(runDir),
    ]);
    group.forEach((plan, i) => tasks.set(plan.hash, `${jobId}_${indices[i]}`));
  }
  return tasks;
}

function writeBatchScript(runDir: string, backend: string | undefined): void {
  const command = [process.execPath, LPT_BIN, 'slurm-task', runDir, ...(backend ? ['--backend', backend] : [])];
  const path = batchScriptPath(runDir);
  writeFileAtomic(
    path,
    `#!/bin/bash
# Written by 'lpt run --slurm' (docs/SLURM.md): task N of the job array runs plan N of the run
# directory as a job step, which receives the signal Slurm sends before the time limit.
exec srun --ntasks=1 ${command.map(shellQuote).join(' ')} "$SLURM_ARRAY_TASK_ID"
`,
  );
  chmodSync(path, 0o755);
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

const LPT_BIN = fileURLToPath(new URL('../../bin/lpt.js', import.meta.url));
