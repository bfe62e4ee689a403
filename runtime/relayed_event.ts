/**
 * A run event that another process wrote as a JSON line (a queue worker's job log, a Slurm task's
 * event file), made the event a local run would have emitted: paths that named another folder
 * name the run directory, and accuracies that JSON carried as null (a shot group without classes)
 * are NaN.
 */
import { basename, join } from 'node:path';
import type { RunEvent } from './events.ts';
import type { Plan } from '../plan/plan.ts';
import { checkpointDir } from './store/run_directory.ts';

export type TimedEvent = RunEvent & { readonly time: number };

/** The event of one line, or null when the line is not a run event. */
export function parseEvent(line: string): TimedEvent | null {
  try {
    const value = JSON.parse(line) as TimedEvent;
    return typeof value?.type === 'string' && typeof value.time === 'number' ? value : null;
  } catch {
    return null;
  }
}

const nan = (value: number | null) => (value === null ? NaN : value);

export function localEvent(event: TimedEvent, plan: Plan, runDir: string): TimedEvent {
  switch (event.type) {
    case 'run_start':
      return { ...event, runDir };
    case 'checkpoint':
      return { ...event, path: join(checkpointDir(runDir, plan), basename(event.path)) };
    case 'evaluation': {
      const a = event.accuracy as unknown as Record<'overall' | 'many' | 'medium' | 'few', number | null>;
      return {
        ...event,
        accuracy: { overall: nan(a.overall), many: nan(a.many), medium: nan(a.medium), few: nan(a.few) },
      };
    }
    default:
      return event;
  }
}
