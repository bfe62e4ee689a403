/**
 * Copies a job's new event-log lines (job_events.ts) into the submitter's event sink, as the
 * events a local run would have emitted: paths that named the worker's scratch folder name the
 * run directory, and accuracies that JSON carried as null (a shot group without classes) are NaN.
 */
import type { Queue } from 'bullmq';
import type { EventSink } from '../events.ts';
import type { Plan } from '../../plan/plan.ts';
import { localEvent, parseEvent } from '../relayed_event.ts';

const BATCH = 500;

/** Relays the lines after `relayed[plan.hash]` and advances it; true when any were relayed. */
export async function relayJobEvents(
  queue: Queue,
  plan: Plan,
  runDir: string,
  relayed: Map<string, number>,
  emit: EventSink,
): Promise<boolean> {
  let any = false;
  for (;;) {
    const from = relayed.get(plan.hash) ?? 0;
    const { logs } = await queue.getJobLogs(plan.hash, from, from + BATCH - 1);
    for (const [i, line] of logs.entries()) {
      const event = parseEvent(line);
      if (event === null)
        emit({
          type: 'warning',
          message: `job ${plan.hash.slice(0, 12)}: event log line ${from + i + 1} is not a run event`,
          time: Date.now(),
        });
      else if (event.type !== 'run_end') emit(localEvent(event, plan, runDir));
    }
    relayed.set(plan.hash, from + logs.length);
    any ||= logs.length > 0;
    if (logs.length < BATCH) return any;
  }
}
