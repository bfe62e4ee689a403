/**
 * The torchvision side: one scripts/bench/torch_data.py process per measurement, or why it cannot
 * run. Its DataLoader workers inherit GLIBC_TUNABLES, the memory settings lpt's image workers give
 * themselves.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { keptMemoryTunables } from '../../runtime/data/pipeline/kept_memory.ts';
import { TORCH_PYTHON } from '../torch_peer.ts';
import type { LoaderTiming } from './lpt_loader.ts';
import type { PipelineName } from './pipelines.ts';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../scripts/bench/torch_data.py', import.meta.url));

/** torchvision's version, or the reason it is unavailable. */
export async function torchvisionVersion(): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  try {
    const { stdout } = await run(TORCH_PYTHON, [
      '-c',
      'import torch, torchvision; print(torchvision.__version__, torch.__version__)',
    ]);
    const [tv, t] = stdout.trim().split(' ');
    return { ok: true, version: `torchvision ${tv} (torch ${t})` };
  } catch {
    return {
      ok: false,
      reason: `torchvision skipped: ${TORCH_PYTHON} cannot import torchvision (Debian: apt-get install python3-torchvision)`,
    };
  }
}

export async function timeTorchLoader(
  folder: string,
  pipeline: PipelineName,
  options: { workers: number; batch: number; rounds: number },
): Promise<LoaderTiming> {
  const args = [
    SCRIPT,
    '--folder',
    folder,
    '--pipeline',
    pipeline,
    '--workers',
    String(options.workers),
    '--batch',
    String(options.batch),
    '--rounds',
    String(options.rounds),
  ];
  const { stdout } = await run(TORCH_PYTHON, args, {
    // The DataLoader's processes keep freed memory as lpt's image workers do (kept_memory.ts).
    env: { ...process.env, OMP_NUM_THREADS: '1', GLIBC_TUNABLES: keptMemoryTunables() },
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as LoaderTiming;
  return result;
}
