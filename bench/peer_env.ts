/**
 * The environment a PyTorch peer of the benchmark runs in: which model script, which allocator,
 * which OpenMP wait policy, and OpenBLAS's core type. lpt keeps its memory (the wasm heap never
 * shrinks; image workers keep freed blocks, runtime/data/pipeline/kept_memory.ts), so the peer
 * gets an allocator that keeps freed memory too: PyTorch's CPU performance guide recommends
 * jemalloc or tcmalloc through LD_PRELOAD; 'glibc' gives glibc's own allocator the tunables
 * (blocks up to 32 MiB from its heaps, up to 1 GiB kept free: a step frees its activations and
 * asks for them again in the next); 'default' is glibc untold, as the bench ran it before issue 28.
 * OpenBLAS's worker threads are told to sleep right after a product, as lpt's addon tells its own
 * (native/src/gemm.c): spinning, they take the cores from the element-wise ops between products
 * (about 20 % of a phase-1 step on 2 cores, for PyTorch as for lpt; docs/PERFORMANCE.md).
 */
import { existsSync } from 'node:fs';
import { keptMemoryTunables } from '../runtime/data/pipeline/kept_memory.ts';

export const PEER_MODELS = ['timm', 'encoder'] as const;
export type PeerModel = (typeof PEER_MODELS)[number];
export const PEER_ALLOCATORS = ['jemalloc', 'tcmalloc', 'glibc', 'default'] as const;
export type PeerAllocator = (typeof PEER_ALLOCATORS)[number];
export const PEER_WAITS = ['passive', 'active'] as const;
export type PeerWait = (typeof PEER_WAITS)[number];

export interface PeerSpec {
  readonly model: PeerModel;
  readonly allocator: PeerAllocator;
  readonly wait: PeerWait;
}

export const peerLabel = (s: PeerSpec) => `${s.model} ${s.allocator} ${s.wait}`;

const LIBRARIES: Readonly<Record<'jemalloc' | 'tcmalloc', { files: readonly string[]; debian: string }>> = {
  jemalloc: { files: ['libjemalloc.so.2'], debian: 'libjemalloc2' },
  tcmalloc: { files: ['libtcmalloc_minimal.so.4', 'libtcmalloc.so.4'], debian: 'libtcmalloc-minimal4' },
};

const MULTIARCH: Readonly<Record<string, string>> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' };

function findLibrary(files: readonly string[]): string | null {
  const dirs = [`/usr/lib/${MULTIARCH[process.arch] ?? ''}`, '/usr/lib64', '/usr/lib', '/usr/local/lib'];
  for (const dir of dirs) for (const file of files) if (existsSync(`${dir}/${file}`)) return `${dir}/${file}`;
  return null;
}

/** OPENBLAS_THREAD_TIMEOUT's shortest wait (2^4 cycles), the one lpt's addon asks for. */
export const OPENBLAS_SHORT_THREAD_TIMEOUT = '4';

export type PeerEnvironment =
  | { readonly ok: true; readonly env: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly reason: string };

/**
 * What the peer's process gets on top of the bench's environment. `coretype`: the OpenBLAS core
 * type lpt's addon loaded; set only where the environment names none (the addon too then chose it).
 * The same for OpenBLAS's thread timeout.
 */
export function peerEnvironment(spec: PeerSpec, coretype: string | null): PeerEnvironment {
  const env: Record<string, string> = { OMP_WAIT_POLICY: spec.wait };
  if (coretype !== null && process.env.OPENBLAS_CORETYPE === undefined) env.OPENBLAS_CORETYPE = coretype;
  if (process.env.OPENBLAS_THREAD_TIMEOUT === undefined) env.OPENBLAS_THREAD_TIMEOUT = OPENBLAS_SHORT_THREAD_TIMEOUT;
  if (spec.allocator === 'glibc') env.GLIBC_TUNABLES = keptMemoryTunables(1 << 30);
  if (spec.allocator === 'jemalloc' || spec.allocator === 'tcmalloc') {
    const { files, debian } = LIBRARIES[spec.allocator];
    const library = findLibrary(files);
    if (library === null) return { ok: false, reason: `${files[0]} not found (Debian: apt-get install ${debian})` };
    env.LD_PRELOAD = library;
  }
  return { ok: true, env };
}
