/**
 * What the run list needs of a run's events.jsonl, folded as the file grows: the view redraws its
 * run list every few seconds, and a long run's log holds an event per step (tens of megabytes at
 * the papers' scale), so each read parses only the lines appended since the last one and keeps a
 * few events, not all of them. A file that became shorter or was replaced is read again from the
 * start.
 */
import { statSync } from 'node:fs';
import type { RunStartEvent } from '../../runtime/events.ts';
import { readAppendedEvents, type TimedRunEvent } from './run_events.ts';

export interface EventDigest {
  readonly firstTime?: number;
  readonly lastTime?: number;
  /** Every run_start, in order (one per variant run or resume). */
  readonly starts: readonly (RunStartEvent & { time: number })[];
  /** The last run_start or run_end. */
  readonly lastBoundary?: TimedRunEvent;
  readonly lastError?: TimedRunEvent;
  /** The last step, run_start or run_end (the running variant's progress). */
  readonly lastProgress?: TimedRunEvent;
  /** Lines that are not events, by file and line number. */
  readonly problems: readonly string[];
}

const EMPTY: EventDigest = { starts: [], problems: [] };

function fold(digest: EventDigest, events: readonly TimedRunEvent[], problems: readonly string[]): EventDigest {
  const starts = [...digest.starts];
  let { firstTime, lastTime, lastBoundary, lastError, lastProgress } = digest;
  for (const e of events) {
    firstTime ??= e.time;
    lastTime = e.time;
    if (e.type === 'run_start') starts.push(e);
    if (e.type === 'run_start' || e.type === 'run_end') lastBoundary = e;
    if (e.type === 'error') lastError = e;
    if (e.type === 'step' || e.type === 'run_start' || e.type === 'run_end') lastProgress = e;
  }
  return {
    ...(firstTime !== undefined ? { firstTime } : {}),
    ...(lastTime !== undefined ? { lastTime } : {}),
    starts,
    ...(lastBoundary !== undefined ? { lastBoundary } : {}),
    ...(lastError !== undefined ? { lastError } : {}),
    ...(lastProgress !== undefined ? { lastProgress } : {}),
    problems: [...digest.problems, ...problems],
  };
}

interface Cached {
  readonly inode: number;
  /** Bytes of whole lines folded so far, and the number of the next line. */
  readonly consumed: number;
  readonly line: number;
  readonly digest: EventDigest;
}

const cache = new Map<string, Cached>();

/** The digest of the events.jsonl at `path` (empty when there is none), reading only what was appended since the last call. */
export function digestEvents(path: string): EventDigest {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    cache.delete(path);
    return EMPTY;
  }
  const known = cache.get(path);
  const start = known !== undefined && known.inode === stat.ino && stat.size >= known.consumed ? known : undefined;
  const from = start?.consumed ?? 0;
  if (start !== undefined && stat.size === from) return start.digest;
  const read = readAppendedEvents(path, from, start?.line ?? 1, stat.size);
  const next: Cached = {
    inode: stat.ino,
    consumed: read.next,
    line: read.nextLine,
    digest: fold(start?.digest ?? EMPTY, read.events, read.problems),
  };
  cache.set(path, next);
  return next.digest;
}
