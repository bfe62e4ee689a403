/**
 * BatchMatMul and _FusedMatMul (bias, no activation) for the wasm backend computed by the native
 * addon's BLAS directly on the wasm heap: no copies, every transpose flag and batch shape at
 * full BLAS speed (the wasm kernel reaches its fast path only for 2-D untransposed products,
 * docs/PERFORMANCE.md). Calls it cannot take (other dtypes, activations, general broadcasting) go to the
 * original kernel: `nativeMatMul` returns null for them.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { broadcast_util, util } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './native_addon.ts';

type TensorInfo = tf.TensorInfo;

export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
}

export function heapOffset(backend: WasmHeapBackend, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}

export function nativeMatMul(
  addon: NativeAddon,
  backend: WasmHeapBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias: TensorInfo | null,
): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || (bias !== null && bias.dtype !== 'float32')) return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb) return null; // the original kernel reports the mismatch
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  if (bias !== null && util.sizeFromShape(bias.shape) !== n) return null;
  const outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  if (util.sizeFromShape(outer) !== batch) return null;
  const out = backend.makeOutput([...outer, m, n], 'float32');
  // The heap buffer is read after makeOutput, which may have grown (replaced) it.
  addon.gemm(
    backend.wasm.HEAPU8.buffer as ArrayBuffer,
    batch,
    m,
    n,
    k,
    transposeA ? 1 : 0,
    transposeB ? 1 : 0,
    heapOffset(backend, a),
    batchA === 1 ? 0 : m * k,
    heapOffset(backend, b),
    batchB === 1 ? 0 : k * n,
    heapOffset(backend, out),
    bias === null ? -1 : heapOffset(backend, bias),
  );
  return out;
}
