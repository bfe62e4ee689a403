/**
 * slurm.json in a run directory submitted with `lpt run --slurm`: the Slurm job id of each plan's
 * task ("4242_1": the array job 4242, index 1), for `lpt run --resume` and `lpt cancel`, and how
 * many lines of each task's event log are already in events.jsonl, so that a re-attached submitter
 * continues each task's events where it left off.
 */
import { join } from 'node:path';
import { readJsonRecord, writeJsonRecord } from '../store/json_record.ts';

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
  return readJsonRecord<SlurmRecord>(slurmRecordPath(runDir), 'a Slurm record', (r) =>
    typeof r.tasks !== 'object' || r.tasks === null || typeof r.relayed !== 'object' || r.relayed === null
      ? 'expected { tasks, relayed }'
      : null,
  );
}

export function writeSlurmRecord(runDir: string, record: SlurmRecord): void {
  writeJsonRecord(slurmRecordPath(runDir), record);
}
