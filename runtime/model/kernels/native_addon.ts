/**
 * Loads the optional native addon (native/, built by `node native/build.mjs` at install; see
 * docs/PERFORMANCE.md). Absent or unloadable, everything runs on the JavaScript/wasm kernels and
 * `nativeAddon()` returns null with the reason in `nativeAddonProblem()`. Its settings (switched
 * off, BLAS threads) are passed in before its first use (configureNativeAddon): the command line
 * reads them from the environment (cli/runtime_settings.ts); nothing here does.
 */
import { createRequire } from 'node:module';

export interface NativeAddon {
  gemm(
    heap: ArrayBuffer,
    batch: number,
    m: number,
    n: number,
    k: number,
    transA: number,
    transB: number,
    aOffset: number,
    aStride: number,
    bOffset: number,
    bStride: number,
    cOffset: number,
    biasOffset: number,
  ): void;
  info(): { blas: string; threads: number };
  setThreads(threads: number): void;
  forceVendored(on: number): void;
  /** The passes of the data pipeline's PIL resample (runtime/data/pipeline/resample_rgb.ts). */
  resampleRows?(
    src: Uint8Array,
    srcWidth: number,
    srcHeight: number,
    rowStart: number,
    rows: number,
    start: Int32Array,
    size: Int32Array,
    weights: Int32Array,
    maxTaps: number,
    outFrom: number,
    outCount: number,
    out: Uint8Array,
  ): void;
  resampleColumns?(
    src: Uint8Array,
    width: number,
    srcRows: number,
    rowOffset: number,
    start: Int32Array,
    size: Int32Array,
    weights: Int32Array,
    maxTaps: number,
    outFrom: number,
    outCount: number,
    out: Uint8Array,
  ): void;
  /** Interleaved RGB bytes to planar floats through a 768-entry table (runtime/data/pipeline/finish.ts). */
  rgbToPlanes?(
    bytes: Uint8Array,
    height: number,
    width: number,
    flipped: number,
    table: Float32Array,
    out: Float32Array,
  ): void;
  /** glibc's mmap and trim thresholds (bytes); false where the allocator is not glibc's. */
  keepFreedMemory?(mmapThreshold: number, trimThreshold: number): boolean;
  layerNorm?(
    heap: ArrayBuffer,
    rows: number,
    cols: number,
    x: number,
    w: number,
    b: number,
    eps: number,
    y: number,
    mean: number,
    rstd: number,
  ): void;
  layerNormGrad?(
    heap: ArrayBuffer,
    rows: number,
    cols: number,
    dy: number,
    x: number,
    w: number,
    mean: number,
    rstd: number,
    dx: number,
  ): void;
  gelu?(heap: ArrayBuffer, size: number, x: number, y: number): void;
  geluGrad?(heap: ArrayBuffer, size: number, dy: number, x: number, dx: number): void;
  attention?(
    heap: ArrayBuffer,
    batch: number,
    tokens: number,
    queries: number,
    heads: number,
    headDim: number,
    scale: number,
    qkv: number,
    out: number,
    probs: number,
  ): void;
  attentionGrad?(
    heap: ArrayBuffer,
    batch: number,
    tokens: number,
    queries: number,
    heads: number,
    headDim: number,
    scale: number,
    dy: number,
    qkv: number,
    probs: number,
    dqkv: number,
  ): void;
  /**
   * The block kernels: each takes the block's arguments (native_kernels.ts blockArguments: shape,
   * x, extra tokens, weights [in, out]; an offset < 0 is absent), then its own buffers' offsets.
   * block: out. blockTrain: out and the saved intermediates. blockGrad: the saved intermediates,
   * dy, dx (< 0: x is frozen) and d extra.
   */
  block?(heap: ArrayBuffer, ...args: number[]): void;
  blockTrain?(heap: ArrayBuffer, ...args: number[]): void;
  blockGrad?(heap: ArrayBuffer, ...args: number[]): void;
}

export interface NativeAddonSettings {
  /** false: never load it; everything runs on the JavaScript/wasm kernels. */
  readonly enabled: boolean;
  /** Its BLAS and attention threads; 0 keeps the BLAS's own default (usually every core). */
  readonly threads: number;
}

export const DEFAULT_NATIVE_ADDON: NativeAddonSettings = { enabled: true, threads: 0 };

const ADDON_PATH = '../../../native/build/Release/lpt_native.node';

let settings = DEFAULT_NATIVE_ADDON;
let loaded: { addon: NativeAddon | null; problem: string } | undefined;

/** Call before the addon's first use; other settings after it has loaded are an error. */
export function configureNativeAddon(next: NativeAddonSettings): void {
  if (next.enabled === settings.enabled && next.threads === settings.threads) return;
  if (loaded !== undefined)
    throw new Error('configureNativeAddon: the native addon was already loaded with other settings');
  settings = next;
}

/** Whether the addon may load (its settings say so); whether it did is nativeAddon() !== null. */
export function nativeAddonEnabled(): boolean {
  return settings.enabled;
}

function load(): { addon: NativeAddon | null; problem: string } {
  if (!settings.enabled) return { addon: null, problem: 'switched off by its settings' };
  // The addon's OpenMP threads (attention over image x head) must sleep between calls, not spin:
  // spinning threads take the cores from the BLAS and the main thread (measured: 20% slower steps).
  // libgomp reads this once, when the addon loads it.
  process.env.OMP_WAIT_POLICY ??= 'passive';
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
    if (settings.threads > 0) addon.setThreads(settings.threads);
    return { addon, problem: '' };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      addon: null,
      problem: `native addon not built or not loadable (${message}); run \`node native/build.mjs\``,
    };
  }
}

export function nativeAddon(): NativeAddon | null {
  loaded ??= load();
  return loaded.addon;
}

export function nativeAddonProblem(): string {
  loaded ??= load();
  return loaded.problem;
}
