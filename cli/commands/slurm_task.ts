/**
 * `lpt slurm-task RUN_DIR INDEX`: one task of a `lpt run --slurm` job array, started on a node by
 * the run's batch script (runtime/slurm/submit.ts), not by hand. Runs plan INDEX of the run
 * directory (runtime/slurm/task.ts), its events appended to slurm/events/, its results to
 * slurm/results/, why it failed to slurm/failed/, which the submitter follows. SIGUSR1 (Slurm's
 * warning before the time limit), SIGTERM (preemption, requeue, scancel), SIGINT and SIGHUP stop
 * it after the current step with a checkpoint.
 */
import { resolve } from 'node:path';
import { BACKEND_PREFERENCES, planBackendPreference } from '../../runtime/backend/preference.ts';
import { imageLoadingFromEnv } from '../../runtime/data/pipeline/image_loading_env.ts';
import { taskEventsPath } from '../../runtime/slurm/files.ts';
import { runSlurmTask, taskPlan, writeTaskFailure } from '../../runtime/slurm/task.ts';
import type { Plan } from '../../plan/plan.ts';
import { createEventLog } from '../render/event_log.ts';
import { runtimeSettingsFromEnv } from '../runtime_settings.ts';
import { ExitCode, UsageError, parseCommandArgs, type Command } from './command.ts';
import { settledStopCheck } from './stop_signals.ts';
import { isUserError } from './user_errors.ts';

const usage = `usage: lpt slurm-task RUN_DIR INDEX [--backend B]

One task of an 'lpt run FILE --slurm' job array: the run's batch script starts it on a node of the
cluster (docs/SLURM.md). It runs plan INDEX of RUN_DIR, which must be on a filesystem the nodes
share, and resumes from the plan's checkpoint when one is there. SIGUSR1, SIGTERM, SIGINT and SIGHUP
stop it after the current step with a checkpoint; it then requeues itself.

options:
  --backend B   ${BACKEND_PREFERENCES.join(' | ')} (default: the plan's)
  -h, --help    this help`;

const STOP_SIGNALS = ['SIGUSR1', 'SIGTERM', 'SIGINT', 'SIGHUP'] as const;

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { backend: { type: 'string' } });
    const [dir, indexText] = positionals;
    const index = Number(indexText);
    if (dir === undefined || positionals.length !== 2 || !Number.isSafeInteger(index) || index < 0)
      throw new UsageError('give the run directory and the task index.');
    const runDir = resolve(io.cwd, dir);
    const say = (line: string) => io.stderr(`lpt slurm-task ${index}: ${line}`);
    let stopRequested = false;
    const onSignal = (signal: string) => {
      if (!stopRequested) say(`${signal}: stopping after the current step with a checkpoint`);
      stopRequested = true;
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
    let plan: Plan | undefined;
    try {
      const task = taskPlan(runDir, index);
      plan = task.plan;
      const log = createEventLog(taskEventsPath(runDir, plan));
      try {
        const outcome = await runSlurmTask({
          runDir,
          ...task,
          backend: values.backend ?? planBackendPreference(plan),
          settings: runtimeSettingsFromEnv(),
          imageLoading: imageLoadingFromEnv(process.env),
          emit: log.sink,
          shouldStop: settledStopCheck(() => stopRequested),
          taskId: `${process.env.SLURM_ARRAY_JOB_ID ?? process.env.SLURM_JOB_ID ?? '?'}_${process.env.SLURM_ARRAY_TASK_ID ?? index}`,
          say,
        });
        return outcome === 'done' ? ExitCode.ok : 143;
      } finally {
        log.close();
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // A bug (not the user's input) keeps its stack in the task's log.
      say(`failed: ${isUserError(e) || !(e instanceof Error) ? message : (e.stack ?? message)}`);
      if (plan !== undefined) writeTaskFailure(runDir, plan, message);
      return ExitCode.inputErrors;
    } finally {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    }
  },
};
