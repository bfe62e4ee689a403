/** The tiny experiment run to the end (both plans) in a temporary folder: what lpt predict and evaluate tests use. */
import { join } from 'node:path';
import { runExperiment } from '../../runtime/run/run_experiment.ts';
import { useTestBackend } from './backend.ts';
import { tinyPlans } from './tiny_run.ts';

/** `dir` holds tiny.lpt and its weights, `runDir` (dir/run) the finished run. */
export async function finishedTinyRun(): Promise<{ dir: string; runDir: string }> {
  await useTestBackend();
  const { dir, plans } = tinyPlans();
  const runDir = join(dir, 'run');
  await runExperiment(plans, { runDir, emit: () => {}, backend: { name: 'test', reason: 'test' } });
  return { dir, runDir };
}
