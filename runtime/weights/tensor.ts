/**
 * Host tensors: named arrays of numbers with a row-major shape, read from or written to weight
 * files. Plain typed arrays keep weight import independent from TensorFlow.js; the model turns
 * them into (frozen) tf variables itself.
 */

export type HostDType = 'float32' | 'int32' | 'int64';

export interface Float32Tensor {
  readonly dtype: 'float32';
  readonly shape: readonly number[];
  readonly data: Float32Array;
}
export interface Int32Tensor {
  readonly dtype: 'int32';
  readonly shape: readonly number[];
  readonly data: Int32Array;
}
export interface Int64Tensor {
  readonly dtype: 'int64';
  readonly shape: readonly number[];
  readonly data: BigInt64Array;
}

/** What the readers return: floats of any width arrive as float32, integers keep their width. */
export type HostTensor = Float32Tensor | Int32Tensor | Int64Tensor;

/** A weight file's contents, in file order. */
export type NamedTensors = Map<string, HostTensor>;

/** Canonical backbone weights: every tensor is float32. */
export type FloatTensors = Map<string, Float32Tensor>;

export function numel(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The raw little-endian bytes of a tensor's data (a view, no copy; hosts are little-endian). */
export function tensorBytes(tensor: HostTensor): Uint8Array {
  const { buffer, byteOffset, byteLength } = tensor.data;
  return new Uint8Array(buffer, byteOffset, byteLength);
}

// Readers and writers reinterpret typed-array bytes as little-endian; every host Node runs on is.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('lpt weight files need a little-endian host');
}
