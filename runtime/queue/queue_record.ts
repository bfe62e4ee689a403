/**
 * queue.json in a run directory submitted to a queue: the queue's URL (display form: never the
 * password) for `lpt run --resume`, and how many lines of each job's event log were already copied
 * into events.jsonl, so that a re-attached submitter continues each job's events where it left off.
 */
import { join } from 'node:path';
import { readJsonRecord, writeJsonRecord } from '../store/json_record.ts';

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
  return readJsonRecord<QueueRecord>(queueRecordPath(runDir), 'a queue record', (r) =>
    typeof r.queue !== 'string' || typeof r.relayed !== 'object' || r.relayed === null
      ? 'expected { queue, relayed }'
      : null,
  );
}

export function writeQueueRecord(runDir: string, record: QueueRecord): void {
  writeJsonRecord(queueRecordPath(runDir), record);
}
