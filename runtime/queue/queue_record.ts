/**
 * queue.json in a run directory submitted to a queue: the queue's URL (display form: never the
 * password) for `lpt run --resume`, and how many lines of each job's event log were already copied
 * into events.jsonl, so that a re-attached submitter continues each job's events where it left off.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/atomic.ts';
import { RunDirectoryError } from '../store/run_directory.ts';

export interface QueueRecord {
  /** redis://HOST:PORT, with *** for a password. */
  readonly queue: string;
  /** Plan hash -> event-log lines of its job already in events.jsonl. */
  readonly relayed: Readonly<Record<string, number>>;
}

export function queueRecordPath(runDir: string): string {
  return join(runDir, 'queue.json');
}

export function readQueueRecord(runDir: string): QueueRecord | null {
  const path = queueRecordPath(runDir);
  if (!existsSync(path)) return null;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as QueueRecord;
    if (typeof record.queue !== 'string' || typeof record.relayed !== 'object' || record.relayed === null)
      throw new Error('expected { queue, relayed }');
    return record;
  } catch (e) {
    throw new RunDirectoryError(`${path}: not a queue record (${e instanceof Error ? e.message : String(e)})`);
  }
}

export function writeQueueRecord(runDir: string, record: QueueRecord): void {
  writeFileAtomic(queueRecordPath(runDir), `${JSON.stringify(record, null, 2)}\n`);
}
