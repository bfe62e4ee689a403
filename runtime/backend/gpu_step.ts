/**
 * What a training step's end does on the GPU: throw the first GPU failure before the step's
 * numbers are used (gpu_guard.ts), then trim the buffer pool to what the step used and report the
 * bytes allocated (gpu_memory.ts). Null, and nothing done, on other backends.
 */
import { settleGpu } from './gpu_guard.ts';
import { type GpuBytes, trimGpuPool } from './gpu_memory.ts';

export async function finishGpuStep(): Promise<GpuBytes | null> {
  await settleGpu();
  return trimGpuPool();
}
