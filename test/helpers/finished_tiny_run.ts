/** A tiny experiment run to the end (every plan) in a temporary folder: what lpt predict and evaluate tests use. */
import { join } from 'node:path';
import { createEventLog } from '../../cli/render/event_log.ts';
import type { Plan } from '../../plan/plan.ts';
import { runExperiment } from '../../runtime/run/run_experiment.ts';
import { useTestBackend } from './backend.ts';
import { tinyPlans } from './tiny_run.ts';

/**
 * `dir` holds the experiment (the file tiny_run.ts writes unless `make` writes another, e.g.
 * tinyLptppPlans) and its weights, `runDir` (dir/run) the finished run.
 */
export async function finishedTinyRun(
  make: () => { dir: string; plans: readonly Plan[] } = tinyPlans,
): Promise<{ dir: string; runDir: string }> {
  const { name, reason } = await useTestBackend();
  const { dir, plans } = make();
  const runDir = join(dir, 'run');
  // events.jsonl records the backend, as lpt run writes it: predict and evaluate default to it.
  const log = createEventLog(join(runDir, 'events.jsonl'));
  try {
    await runExperiment(plans, { runDir, emit: log.sink, backend: { name, reason } });
  } finally {
    log.close();
  }
  return { dir, runDir };
}
