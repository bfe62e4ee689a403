/** A tiny experiment run to the end (every plan) in a temporary folder: what lpt predict and evaluate tests use. */
import { join } from 'node:path';
import type { Plan } from '../../plan/plan.ts';
import { runExperiment } from '../../runtime/run/run_experiment.ts';
import { useTestBackend } from './backend.ts';
import { tinyPlans } from './tiny_run.ts';

/**
 * `dir` holds the experiment (tiny.lpt of tiny_run.ts unless `make` writes another, e.g.
 * tinyLptppPlans) and its weights, `runDir` (dir/run) the finished run.
 */
export async function finishedTinyRun(
  make: () => { dir: string; plans: readonly Plan[] } = tinyPlans,
): Promise<{ dir: string; runDir: string }> {
  await useTestBackend();
  const { dir, plans } = make();
  const runDir = join(dir, 'run');
  await runExperiment(plans, { runDir, emit: () => {}, backend: { name: 'test', reason: 'test' } });
  return { dir, runDir };
}
