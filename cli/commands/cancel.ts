/**
 * `lpt cancel RUN_DIR`: cancels the Slurm tasks of a `lpt run --slurm` run directory that have not
 * finished (scancel). Finished variants keep their results; `lpt run --resume RUN_DIR` later
 * submits the cancelled ones again, resuming from their checkpoints.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { taskResultsPath } from '../../runtime/slurm/files.ts';
import { readSlurmRecord } from '../../runtime/slurm/record.ts';
import { LIVE_STATES, requireSlurm, scancel, taskStates } from '../../runtime/slurm/slurm_cli.ts';
import { openRunDirectory } from '../../runtime/store/run_directory.ts';
import { ExitCode, UsageError, parseCommandArgs, type Command } from './command.ts';

const usage = `usage: lpt cancel RUN_DIR

Cancels the Slurm tasks of a run directory submitted with 'lpt run FILE --slurm' that are still
queued or running (scancel). Finished variants keep their results; 'lpt run --resume RUN_DIR'
submits the cancelled ones again, each resuming from its last checkpoint.

options:
  -h, --help   this help`;

export const command: Command = {
  usage,
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length !== 1) throw new UsageError('give one run directory.');
    const runDir = resolve(io.cwd, positionals[0]!);
    const { plans } = openRunDirectory(runDir);
    const record = readSlurmRecord(runDir);
    if (record === null) {
      io.stderr(`lpt cancel: ${runDir} was not submitted to Slurm (no slurm.json); a local run stops with Ctrl-C`);
      return ExitCode.inputErrors;
    }
    requireSlurm();
    const ids = plans.flatMap((p) => (existsSync(taskResultsPath(runDir, p)) ? [] : (record.tasks[p.hash] ?? [])));
    const states = taskStates(ids.map((id) => id.split('_')[0]!));
    const live = ids.filter((id) => LIVE_STATES.includes(states.get(id)?.state ?? ''));
    scancel(live);
    io.stderr(
      live.length === 0
        ? `lpt cancel: no task of ${runDir} is queued or running`
        : `lpt cancel: cancelled ${live.length} task${live.length === 1 ? '' : 's'} (${live.join(' ')}); submit them again with: lpt run --resume ${runDir}`,
    );
    return ExitCode.ok;
  },
};
