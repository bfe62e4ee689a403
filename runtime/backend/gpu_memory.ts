/**
 * Bounded GPU memory on the webgpu backend. tfjs keeps every freed GPU buffer in a pool keyed by
 * its exact size and never gives one back, so each new shape (a short last batch, a step whose
 * query-cache misses differ, another phase's shapes, an evaluation batch) adds buffers that stay
 * allocated: after LPT's phase one at batch 32, the pool held 34.8 GiB for a phase two that needs
 * 14.2 GiB. Here the pool keeps only what the last step used: at each step's end, freed buffers of
 * sizes no allocation took since the previous step's end are destroyed, and between phases all are.
 * A varying shape then costs the time to re-create its buffers, never memory that stays.
 */
import { activeWebGpu, type BufferManagerLike, type WebGpuBackendLike } from './webgpu_internals.ts';

/** Bytes allocated on the GPU: in live tensors (and buffers in flight), and pooled for reuse. */
export interface GpuBytes {
  readonly live: number;
  readonly pooled: number;
}

interface PoolWatch {
  /** Pool keys acquired since the last trim. */
  readonly taken: Set<string>;
  /** The most bytes allocated (live and pooled) at a trim since the last `resetGpuPeak`. */
  peak: number;
}

const watches = new WeakMap<WebGpuBackendLike, PoolWatch>();

function watch(backend: WebGpuBackendLike): PoolWatch {
  let found = watches.get(backend);
  if (found !== undefined) return found;
  const created: PoolWatch = { taken: new Set(), peak: 0 };
  const manager = backend.bufferManager;
  const acquire = manager.acquireBuffer.bind(manager);
  manager.acquireBuffer = (size, usage, ...rest) => {
    created.taken.add(`${size}_${usage}`); // tfjs's own key (its BufferManager's getBufferKey)
    return acquire(size, usage, ...rest);
  };
  watches.set(backend, (found = created));
  return found;
}

/** Starts watching the active webgpu backend's pool (at backend initialisation). */
export function watchGpuPool(): void {
  const backend = activeWebGpu();
  if (backend !== null) watch(backend);
}

function bytesOf(manager: BufferManagerLike): GpuBytes {
  return { live: manager.numBytesUsed, pooled: manager.numBytesAllocated - manager.numBytesUsed };
}

/** Destroys the pooled buffers `keep` rejects. The keys stay: tfjs stops pooling when the map is empty. */
function release(manager: BufferManagerLike, keep: (key: string) => boolean): void {
  for (const [key, buffers] of manager.freeBuffers) {
    if (buffers.length === 0 || keep(key)) continue;
    for (const buffer of buffers) {
      manager.numBytesAllocated -= buffer.size;
      buffer.destroy();
    }
    manager.numFreeBuffers -= buffers.length;
    manager.freeBuffers.set(key, []);
  }
}

/**
 * A step's end: frees pooled buffers of sizes the step did not use and returns the bytes now
 * allocated. Null on other backends.
 */
export function trimGpuPool(): GpuBytes | null {
  const backend = activeWebGpu();
  if (backend === null) return null;
  const state = watch(backend);
  const manager = backend.bufferManager;
  release(manager, (key) => state.taken.has(key));
  state.taken.clear();
  const bytes = bytesOf(manager);
  state.peak = Math.max(state.peak, bytes.live + bytes.pooled);
  return bytes;
}

/** Between phases: frees every pooled buffer. */
export function releaseGpuPool(): void {
  const backend = activeWebGpu();
  if (backend !== null) release(backend.bufferManager, () => false);
}

/** The bytes allocated now; null on other backends. */
export function gpuBytes(): GpuBytes | null {
  const backend = activeWebGpu();
  return backend === null ? null : bytesOf(backend.bufferManager);
}

/** The most bytes allocated at a step's end since the last reset (null on other backends), and resets it. */
export function takeGpuPeak(): number | null {
  const backend = activeWebGpu();
  if (backend === null) return null;
  const state = watch(backend);
  const peak = Math.max(state.peak, backend.bufferManager.numBytesAllocated);
  state.peak = 0;
  return peak;
}
