/**
 * A small JSON record beside a run's files (queue.json, slurm.json): read back with a shape check
 * whose failure names the file, written atomically.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../io/atomic.ts';
import { RunDirectoryError } from './run_directory.ts';

/** The record at `path`, or null when there is none; `problem` says what is wrong with its shape, if anything. */
export function readJsonRecord<T>(path: string, what: string, problem: (value: T) => string | null): T | null {
  if (!existsSync(path)) return null;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as T;
    const wrong = record === null || typeof record !== 'object' ? 'expected an object' : problem(record);
    if (wrong !== null) throw new Error(wrong);
    return record;
  } catch (e) {
    throw new RunDirectoryError(`${path}: not ${what} (${e instanceof Error ? e.message : String(e)})`);
  }
}

export function writeJsonRecord(path: string, record: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
}
