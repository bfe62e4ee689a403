/**
 * A run stopped by a GPU failure (runtime/backend/gpu_guard.ts) says how to continue it: the
 * resume command and the checkpoint it continues from, which holds nothing the failed step wrote.
 */
import { join } from 'node:path';
import { GpuError } from '../backend/gpu_guard.ts';
import { CheckpointError, newestCheckpoint } from '../store/checkpoint_store.ts';

/** `error` with the resume command added when it is a GpuError without one; any other error as it is. */
export function withResumeHint(error: unknown, runDir: string, checkpointDir: string, planHash: string): unknown {
  if (!(error instanceof GpuError) || error.resume !== null) return error;
  let from: string;
  try {
    const newest = newestCheckpoint(checkpointDir, planHash);
    from =
      newest === null
        ? 'the start (no checkpoint was written yet)'
        : `the checkpoint ${join(checkpointDir, newest.file)}`;
  } catch (e) {
    if (!(e instanceof CheckpointError)) throw e;
    from = `the newest valid checkpoint in ${checkpointDir}`;
  }
  return error.withResume(`\`lpt run --resume ${runDir}\` continues from ${from}`);
}
