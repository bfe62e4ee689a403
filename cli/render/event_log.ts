/**
 * The run directory's events.jsonl: every event appended as one JSON line, written synchronously
 * so the log is complete up to the last event even if the process is killed. A resumed run
 * appends to the same file.
 */
import { UserError } from '../../runtime/errors.ts';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventSink, RunEvent } from '../../runtime/events.ts';
import { eventLine } from './json.ts';

/** The event log cannot be written (disk full, a file-size limit): the run stops with this message. */
export class EventLogError extends UserError {
  override readonly name = 'EventLogError';
}

export interface EventLog {
  readonly sink: EventSink;
  close(): void;
}

export function createEventLog(path: string): EventLog {
  mkdirSync(dirname(path), { recursive: true });
  let fd: number | undefined = openSync(path, 'a');
  return {
    sink: (event) => {
      if (fd === undefined) return;
      try {
        writeSync(fd, eventLine(event));
      } catch (e) {
        throw new EventLogError(
          `cannot append to ${path} (${e instanceof Error ? e.message : String(e)}); the run stops here`,
        );
      }
    },
    close: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

export type TimedEvent = RunEvent & { readonly time: number };

/** Reads events.jsonl back; a torn last line (killed mid-write) is skipped, other bad lines are reported. */
export function parseEventLog(text: string): { events: TimedEvent[]; badLines: number[] } {
  const events: TimedEvent[] = [];
  const badLines: number[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const value = JSON.parse(line) as TimedEvent;
      if (typeof value?.type !== 'string') throw new Error('no type');
      events.push(value);
    } catch {
      if (i < lines.length - 1) badLines.push(i + 1);
    }
  });
  return { events, badLines };
}

/** Calls every sink for each event, in order (terminal renderer + events.jsonl, for example). */
export function teeSinks(...sinks: readonly EventSink[]): EventSink {
  return (event) => {
    for (const sink of sinks) sink(event);
  };
}
