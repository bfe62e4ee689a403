/**
 * One queue job's training, in a process of its own (started by worker.ts for every job attempt).
 * Training keeps a process busy for long stretches (loading a dataset, building caches), and a
 * BullMQ worker must renew its job's lock on time or the job is taken for stalled and handed to
 * another worker; so the worker process only talks to Redis, and this process only trains (the
 * reason BullMQ offers sandboxed processors for CPU-heavy jobs). Messages over the IPC channel:
 * in `run` then perhaps `stop`; out `event`..., then `done`, `stopped` or `error`. Stop signals are
 * the parent's to handle; when the parent goes away (killed), this process exits too.
 */
import type { Plan } from '../../plan/plan.ts';
import { serializeRunResults } from '../../plan/results.ts';
import { initBackend } from '../backend/init.ts';
import { configureImageLoading, type ImageLoading } from '../data/pipeline/loader.ts';
import { reportDataPipeline } from '../run/run_experiment.ts';
import { runPlan } from '../run/run_plan.ts';
import { variantName, variantResults } from '../store/run_directory.ts';
import type { RuntimeSettings } from '../settings.ts';
import type { RunEvent } from '../events.ts';

export interface RunJobMessage {
  readonly kind: 'run';
  /** Confined to the data root already (confine.ts). */
  readonly plan: Plan;
  readonly checkpointDir: string;
  readonly runDir: string;
  readonly keepCheckpoints?: number;
  readonly backend: string;
  readonly settings: RuntimeSettings;
  readonly imageLoading: ImageLoading;
}

export type JobProcessMessage =
  | { readonly kind: 'event'; readonly event: RunEvent & { readonly time: number } }
  | { readonly kind: 'done'; readonly results: string; readonly seconds: number; readonly overall: number }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'error'; readonly message: string };

const send = (message: JobProcessMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

let stopRequested = false;

async function run(m: RunJobMessage): Promise<JobProcessMessage> {
  configureImageLoading(m.imageLoading);
  const backend = await initBackend({
    preference: m.backend,
    source: m.backend === 'auto' ? 'default' : '--backend',
    kernels: m.settings.speed,
    native: m.settings.native,
    dawnFlags: m.settings.dawnFlags,
  });
  const emit = (event: RunEvent & { readonly time: number }) => void process.send!({ kind: 'event', event });
  await reportDataPipeline([m.plan], emit); // this machine's decoder and image workers, relayed to the submitter
  const outcome = await runPlan(m.plan, {
    variant: variantName(m.plan),
    checkpointDir: m.checkpointDir,
    emit,
    backend: { name: backend.name, reason: backend.reason },
    runDir: m.runDir,
    shouldStop: () => stopRequested,
    settings: m.settings,
    ...(m.keepCheckpoints !== undefined ? { keepCheckpoints: m.keepCheckpoints } : {}),
  });
  if (outcome === 'stopped') return { kind: 'stopped' };
  const results = serializeRunResults({
    experiment: m.plan.experiment,
    boundaries: outcome.boundaries,
    variants: variantResults(outcome, m.plan),
  });
  return { kind: 'done', results, seconds: outcome.seconds, overall: outcome.accuracy.overall };
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
