/**
 * The PyTorch peers: scripts/bench/torch_step.py ("timm": the backbone in timm's layout) and
 * scripts/bench/torch_encoder_step.py ("encoder": torch.nn.TransformerEncoderLayer, written
 * independently), each kept running (--serve) for the whole benchmark so that its measurements
 * interleave with ours on a shared machine. Debian's PyTorch through /usr/bin/python3 (OpenBLAS).
 *
 * Each peer runs as a careful PyTorch user would run it here (bench/peer_env.ts): an allocator
 * that keeps freed memory (jemalloc or tcmalloc through LD_PRELOAD, or glibc's tunables; page
 * faults are expensive on these VMs, and lpt keeps its memory too), its OpenMP threads' wait
 * policy, and OpenBLAS on the core type lpt's addon uses. When that Python cannot import torch, or
 * an allocator is not installed, the peer is absent and `reason` says why.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchConfigName, Phase } from './config.ts';
import { peerEnvironment, type PeerSpec, peerLabel } from './peer_env.ts';

/** LPT_BENCH_PYTHON overrides the interpreter (default Debian's, where python3-torch installs). */
export const TORCH_PYTHON = process.env.LPT_BENCH_PYTHON ?? '/usr/bin/python3';
/** LPT_BENCH_TORCH_DEVICE=cuda runs the peer on the GPU (scripts/gpu/device_check.sh); default cpu. */
export const TORCH_DEVICE = process.env.LPT_BENCH_TORCH_DEVICE ?? 'cpu';
const SCRIPTS = {
  timm: fileURLToPath(new URL('../scripts/bench/torch_step.py', import.meta.url)),
  encoder: fileURLToPath(new URL('../scripts/bench/torch_encoder_step.py', import.meta.url)),
} as const;

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
  /** CPU seconds of the peer's process (all its threads) per step. */
  readonly cpu_seconds_per_step: number;
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

/** The best of a few float32 products through torch.mm, on the peer's threads and BLAS. */
export interface SgemmResult {
  readonly gflops: number;
  readonly shape: readonly [number, number, number];
  /** OpenBLAS's core type (its kernels), or null for another BLAS. */
  readonly corename: string | null;
}

export interface TorchPeer {
  readonly version: string;
  readonly spec: PeerSpec;
  /** e.g. "timm jemalloc passive". */
  readonly label: string;
  /** What the peer's environment adds, for the report (LD_PRELOAD, OPENBLAS_CORETYPE, ...). */
  readonly settings: string;
  readonly corename: string | null;
  measure(request: TorchRequest): Promise<TorchResult>;
  peakBytes(request: TorchMemoryRequest): Promise<TorchMemoryResult>;
  sgemm(): Promise<SgemmResult>;
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

/**
 * `coretype`: the OpenBLAS core type lpt's addon loaded (null: leave the peer's OpenBLAS to
 * choose, as the addon did).
 */
export async function startTorchPeer(spec: PeerSpec, coretype: string | null, threads = 2): Promise<TorchStart> {
  const label = peerLabel(spec);
  const environment = peerEnvironment(spec, coretype);
  if (!environment.ok) return { ok: false, reason: `PyTorch peer ${label} skipped: ${environment.reason}` };
  const child = spawn(
    TORCH_PYTHON,
    [SCRIPTS[spec.model], '--serve', '--threads', String(threads), '--device', TORCH_DEVICE],
    { env: { ...process.env, ...environment.env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout! });
  const read = () => nextLine(lines, child, () => stderr);
  const ask = async <T>(request: object): Promise<T> => {
    child.stdin!.write(`${JSON.stringify(request)}\n`);
    return JSON.parse(await read()) as T;
  };
  let hello: { ready?: boolean; torch?: string; corename?: string | null };
  try {
    hello = JSON.parse(await read()) as typeof hello;
  } catch (error) {
    child.kill();
    return {
      ok: false,
      reason: `PyTorch peer ${label} skipped: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const peer: TorchPeer = {
    version: hello.torch ?? 'unknown',
    spec,
    label,
    settings: Object.entries(environment.env)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    corename: hello.corename ?? null,
    measure: (request) => ask<TorchResult>(request),
    peakBytes: (request) => ask<TorchMemoryResult>({ ...request, memory: true }),
    sgemm: () => ask<SgemmResult>({ sgemm: true }),
    close() {
      child.stdin!.end();
      lines.close();
    },
  };
  return { ok: true, peer };
}
