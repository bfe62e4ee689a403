/**
 * One queue job's training, in a process of its own (started by worker.ts for every job attempt).
 * Training keeps a process busy for long stretches (loading a dataset, building caches), and a
 * BullMQ worker must renew its job's lock on time or the job is taken for stalled and handed to
 * another worker; so the worker process only talks to Redis, and this process only trains (the
 * reason BullMQ offers sandboxed processors for CPU-heavy jobs). Messages over the IPC channel:
 * in `run` then perhaps `stop`; out `event`..., then `done`, `stopped` or `error`. Stop signals are
 * the parent's to handle; when the parent goes away (killed), this process exits too.
 */
import { runSinglePlan, type SinglePlanOutcome, type SinglePlanRun } from '../run/run_single_plan.ts';
import type { RunEvent } from '../events.ts';

/** Its plan is confined to the data root already (confine.ts). */
export interface RunJobMessage extends SinglePlanRun {
  readonly kind: 'run';
}

export type JobProcessMessage =
  | { readonly kind: 'event'; readonly event: RunEvent & { readonly time: number } }
  | SinglePlanOutcome
  | { readonly kind: 'error'; readonly message: string };

const send = (message: JobProcessMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

let stopRequested = false;

function run(m: RunJobMessage): Promise<JobProcessMessage> {
  const emit = (event: RunEvent & { readonly time: number }) => void process.send!({ kind: 'event', event });
  return runSinglePlan(m, emit, () => stopRequested);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
process.on('disconnect', () => process.exit(1));
// A message to a worker that is gone (killed) fails with EPIPE: nobody is left to report to.
process.on('error', () => process.exit(1));
process.on('message', (m: RunJobMessage | { kind: 'stop' }) => {
  if (m.kind === 'stop') {
    stopRequested = true;
    return;
  }
  run(m)
    .catch((e: unknown): JobProcessMessage => ({ kind: 'error', message: e instanceof Error ? e.message : String(e) }))
    .then(send)
    .then(() => process.exit(0));
});
