/**
 * events.jsonl read while a run may still append to it: whole lines only (a last line without
 * its newline is still being written, and is read next time), each problem named by line number.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { RunEvent } from '../../runtime/events.ts';

export type TimedRunEvent = RunEvent & { readonly time: number };

export interface ParsedEvents {
  readonly events: TimedRunEvent[];
  /** Bytes of whole lines read: the next read starts here. */
  readonly consumed: number;
  readonly problems: string[];
}

/** The complete lines of `bytes` (events.jsonl from byte `offset`, whose first line is number `firstLine`). */
export function parseEventLines(bytes: Buffer, path: string, firstLine = 1): ParsedEvents {
  const end = bytes.lastIndexOf(0x0a) + 1;
  const lines = bytes.subarray(0, end).toString('utf8').split('\n').slice(0, -1);
  const events: TimedRunEvent[] = [];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const event = JSON.parse(line) as TimedRunEvent;
      if (typeof event !== 'object' || event === null || typeof event.type !== 'string')
        throw new Error('not an event object');
      events.push(event);
    } catch (error) {
      problems.push(`${path}:${firstLine + i}: not a JSON event (${(error as Error).message}); the line is skipped`);
    }
  });
  return { events, consumed: end, problems };
}

/** How many lines `bytes` holds: the line number after them is this plus one. */
function countLines(bytes: Buffer): number {
  let n = 0;
  for (const b of bytes) if (b === 0x0a) n++;
  return n;
}

/** Bytes [from, to) of the file at `path` (fewer if it is shorter). */
function readBytes(path: string, from: number, to: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.alloc(to - from);
    const n = readSync(fd, bytes, 0, bytes.length, from);
    return bytes.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * The complete lines appended to the events.jsonl at `path` between byte `from` (line number
 * `line`) and byte `to`, and where the next read starts (byte and line number).
 */
export function readAppendedEvents(
  path: string,
  from: number,
  line: number,
  to: number,
): ParsedEvents & { readonly next: number; readonly nextLine: number } {
  const bytes = readBytes(path, from, to);
  const parsed = parseEventLines(bytes, path, line);
  return { ...parsed, next: from + parsed.consumed, nextLine: line + countLines(bytes.subarray(0, parsed.consumed)) };
}
