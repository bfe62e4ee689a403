/**
 * slurm.json in a run directory submitted with `lpt run --slurm`: the Slurm job id of each plan's
 * task ("4242_1": the array job 4242, index 1), for `lpt run --resume` and `lpt cancel`, and how
 * many lines of each task's event log are already in events.jsonl, so that a re-attached submitter
 * continues each task's events where it left off.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/atomic.ts';
import { RunDirectoryError } from '../store/run_directory.ts';

export interface SlurmRecord {
  /** Plan hash -> the Slurm id of its latest task, JOBID_INDEX. */
  readonly tasks: Readonly<Record<string, string>>;
  /** Plan hash -> lines of its task's event log already in events.jsonl. */
  readonly relayed: Readonly<Record<string, number>>;
}

export function slurmRecordPath(runDir: string): string {
  return join(runDir, 'slurm.json');
}

export function readSlurmRecord(runDir: string): SlurmRecord | null {
  const path = slurmRecordPath(runDir);
  if (!existsSync(path)) return null;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as SlurmRecord;
    if (typeof record.tasks !== 'object' || record.tasks === null || typeof record.relayed !== 'object')
      throw new Error('expected { tasks, relayed }');
    return record;
  } catch (e) {
    throw new RunDirectoryError(`${path}: not a Slurm record (${e instanceof Error ? e.message : String(e)})`);
  }
}

export function writeSlurmRecord(runDir: string, record: SlurmRecord): void {
  writeFileAtomic(slurmRecordPath(runDir), `${JSON.stringify(record, null, 2)}\n`);
}
