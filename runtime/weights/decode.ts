/**
 * Element decoding shared by the readers: little-endian stored elements -> a host tensor.
 * Floats of every width widen (or narrow, for F64) to float32; 32- and 64-bit integers keep
 * their width.
 */
import { decode16 } from './half.ts';
import { copyBytes } from './files.ts';
import type { HostTensor } from './tensor.ts';

export type StoredDType = 'f16' | 'bf16' | 'f32' | 'f64' | 'i32' | 'i64';

export const storedItemSize: Readonly<Record<StoredDType, number>> = {
  f16: 2,
  bf16: 2,
  f32: 4,
  f64: 8,
  i32: 4,
  i64: 8,
};

/** Decode `count` elements stored from `bytes[start]`; the caller has checked the bounds. */
export function decodeElements(
  bytes: Uint8Array,
  start: number,
  count: number,
  stored: StoredDType,
  shape: readonly number[],
): HostTensor {
  const end = start + count * storedItemSize[stored];
  const dims = [...shape];
  switch (stored) {
    case 'f32':
      return { dtype: 'float32', shape: dims, data: new Float32Array(copyBytes(bytes, start, end)) };
    case 'f64':
      return { dtype: 'float32', shape: dims, data: Float32Array.from(new Float64Array(copyBytes(bytes, start, end))) };
    case 'f16':
    case 'bf16':
      return { dtype: 'float32', shape: dims, data: decode16(bytes.subarray(start, end), count, stored) };
    case 'i32':
      return { dtype: 'int32', shape: dims, data: new Int32Array(copyBytes(bytes, start, end)) };
    case 'i64':
      return { dtype: 'int64', shape: dims, data: new BigInt64Array(copyBytes(bytes, start, end)) };
  }
}

/** Reverse the byte order of each `size`-byte element in place (big-endian .npy data). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}
