/**
 * The PyTorch peer: scripts/bench/torch_step.py --serve, kept running for the whole benchmark so
 * that its measurements interleave with ours on a shared machine. Debian's PyTorch through
 * /usr/bin/python3 (OpenBLAS), 2 threads, OMP_WAIT_POLICY=passive. When that Python cannot import
 * torch the peer is absent and `reason` says why.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchConfigName, Phase } from './config.ts';

/** LPT_BENCH_PYTHON overrides the interpreter (default Debian's, where python3-torch installs). */
export const TORCH_PYTHON = process.env.LPT_BENCH_PYTHON ?? '/usr/bin/python3';
/** LPT_BENCH_TORCH_DEVICE=cuda runs the peer on the GPU (scripts/gpu/device_check.sh); default cpu. */
export const TORCH_DEVICE = process.env.LPT_BENCH_TORCH_DEVICE ?? 'cpu';
const SCRIPT = fileURLToPath(new URL('../scripts/bench/torch_step.py', import.meta.url));

export interface TorchRequest {
  readonly phase: Phase;
  readonly batch: number;
  readonly warmup: number;
  readonly steps: number;
  readonly config: BenchConfigName;
}

export interface TorchResult {
  readonly img_per_s: number;
  readonly seconds_per_step: number;
}

export interface TorchMemoryRequest {
  readonly phase: Phase;
  readonly batch: number;
  readonly config: BenchConfigName;
}

export interface TorchMemoryResult {
  /** Peak resident set during one step over the resident set before it (CPU). */
  readonly peak_bytes: number;
}

export interface TorchPeer {
  readonly version: string;
  measure(request: TorchRequest): Promise<TorchResult>;
  peakBytes(request: TorchMemoryRequest): Promise<TorchMemoryResult>;
  close(): void;
}

export type TorchStart =
  { readonly ok: true; readonly peer: TorchPeer } | { readonly ok: false; readonly reason: string };

function nextLine(lines: Interface, child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onLine = (line: string) => {
      cleanup();
      resolve(line);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${TORCH_PYTHON} exited (code ${code}): ${stderr().trim().split('\n').pop() ?? ''}`));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      lines.off('line', onLine);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    lines.once('line', onLine);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

export async function startTorchPeer(threads = 2): Promise<TorchStart> {
  const child = spawn(TORCH_PYTHON, [SCRIPT, '--serve', '--threads', String(threads), '--device', TORCH_DEVICE], {
    env: { ...process.env, OMP_WAIT_POLICY: 'passive' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout! });
  const read = () => nextLine(lines, child, () => stderr);
  let hello: { ready?: boolean; torch?: string };
  try {
    hello = JSON.parse(await read()) as typeof hello;
  } catch (error) {
    child.kill();
    return { ok: false, reason: `PyTorch peer skipped: ${error instanceof Error ? error.message : String(error)}` };
  }
  const peer: TorchPeer = {
    version: hello.torch ?? 'unknown',
    async measure(request) {
      child.stdin!.write(`${JSON.stringify(request)}\n`);
      return JSON.parse(await read()) as TorchResult;
    },
    async peakBytes(request) {
      child.stdin!.write(`${JSON.stringify({ ...request, memory: true })}\n`);
      return JSON.parse(await read()) as TorchMemoryResult;
    },
    close() {
      child.stdin!.end();
      lines.close();
    },
  };
  return { ok: true, peer };
}
