/**
 * The wasm backend's data-movement kernels without needless copies (tfjs-backend-wasm 4.22):
 * - Slice, Unpack (unstack) and SplitV copy only the elements they return. The originals first
 *   copy the *whole* input out of the wasm heap (`backend.readSync`) for every slice, so
 *   unstacking [96, 60, 64] into 96 slices copies 96 times 1.5 MB and runs about a hundred times
 *   slower than the copy itself. These read the input in place through a heap view.
 * - Identity and a Cast to the same dtype share the input's data (reference counted), as the cpu
 *   backend's do. The originals copy, and the engine clones (Identity) every tensor it saves for
 *   the backward pass, so a training step copied most of its activations once more.
 * - Tile copies whole rows; the original computes every element's source index (about 3 ms to
 *   tile a [1, 10, 192] prompt to a batch of 32).
 * Strings go to the original kernels. Installed by install.ts; test/runtime/model/kernels
 * compares them with the originals.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend_util, slice_util, util } from '@tensorflow/tfjs-core';

type TensorInfo = tf.TensorInfo;

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: unknown): void;
}

/** Copies x[begin : begin + size] into a new output, in contiguous runs. */
export function sliceInPlace(
  backend: WasmBackendLike,
  x: TensorInfo,
  begin: readonly number[],
  size: readonly number[],
): TensorInfo {
  const out = backend.makeOutput([...size], x.dtype);
  if (util.sizeFromShape([...size]) === 0) return out;
  // Views are made after makeOutput: allocating may grow (and so replace) the heap's buffer.
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  const shape = x.shape;
  const rank = shape.length;
  if (rank === 0) {
    to.set(from);
    return out;
  }
  const strides = [...util.computeStrides(shape), 1];
  // The innermost axes the slice covers whole, plus the first one it does not, form one run.
  let axis = rank - 1;
  while (axis > 0 && size[axis] === shape[axis]) axis--;
  const run = size[axis]! * strides[axis]!;
  const base = begin[axis]! * strides[axis]!;
  const outer = size.slice(0, axis);
  const index = new Array<number>(axis).fill(0);
  const count = util.sizeFromShape([...outer]);
  for (let r = 0; r < count; r++) {
    let offset = base;
    for (let j = 0; j < axis; j++) offset += (begin[j]! + index[j]!) * strides[j]!;
    to.set(from.subarray(offset, offset + run), r * run);
    for (let j = axis - 1; j >= 0; j--) {
      if (++index[j]! < outer[j]!) break;
      index[j] = 0;
    }
  }
  return out;
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

function asBackend(b: unknown): WasmBackendLike {
  return b as WasmBackendLike;
}

export function fastSlice(args: KernelArgs): TensorInfo {
  const x = args.inputs.x as TensorInfo;
  const [begin, size] = slice_util.parseSliceParams(x, args.attrs!.begin as number[], args.attrs!.size as number[]) as [
    number[],
    number[],
  ];
  return sliceInPlace(asBackend(args.backend), x, begin, size);
}

export function fastUnpack(args: KernelArgs): TensorInfo[] {
  const x = args.inputs.value as TensorInfo;
  const rank = x.shape.length;
  const axis = util.parseAxisParam(args.attrs!.axis as number, x.shape)[0]!;
  const outShape = x.shape.filter((_, i) => i !== axis);
  const begin = new Array<number>(rank).fill(0);
  const size = [...x.shape];
  size[axis] = 1;
  return Array.from({ length: x.shape[axis]! }, (_, i) => {
    begin[axis] = i;
    const piece = sliceInPlace(asBackend(args.backend), x, begin, size);
    return { dataId: piece.dataId, dtype: piece.dtype, shape: outShape };
  });
}

export function fastSplitV(args: KernelArgs): TensorInfo[] {
  const x = args.inputs.x as TensorInfo;
  const axis = util.parseAxisParam(args.attrs!.axis as number, x.shape)[0]!;
  const sizes = backend_util.prepareSplitSize(x as tf.Tensor, args.attrs!.numOrSizeSplits as number[] | number, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[axis] = s;
    const piece = sliceInPlace(asBackend(args.backend), x, begin, size);
    begin[axis]! += s;
    return piece;
  });
}

/** out[i] = x[i mod shape]: each output row copied from its source row, repeated along the last axis. */
export function fastTile(args: KernelArgs): TensorInfo {
  const x = args.inputs.x as TensorInfo;
  const reps = args.attrs!.reps as number[];
  const backend = asBackend(args.backend);
  const shape = x.shape;
  const rank = shape.length;
  const outShape = shape.map((d, i) => d * reps[i]!);
  const out = backend.makeOutput(outShape, x.dtype);
  if (util.sizeFromShape(outShape) === 0) return out;
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  const strides = util.computeStrides(shape);
  const row = shape[rank - 1]!;
  const outRows = util.sizeFromShape(outShape.slice(0, -1));
  const index = new Array<number>(rank - 1).fill(0);
  let write = 0;
  for (let r = 0; r < outRows; r++) {
    let offset = 0;
    for (let j = 0; j < rank - 1; j++) offset += (index[j]! % shape[j]!) * strides[j]!;
    const source = from.subarray(offset, offset + row);
    for (let k = 0; k < reps[rank - 1]!; k++, write += row) to.set(source, write);
    for (let j = rank - 2; j >= 0; j--) {
      if (++index[j]! < outShape[j]!) break;
      index[j] = 0;
    }
  }
  return out;
}

function share(backend: WasmBackendLike, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function sharedIdentity(args: KernelArgs): TensorInfo {
  return share(asBackend(args.backend), args.inputs.x as TensorInfo);
}

/** Null (the original kernel) unless the dtype stays the same. */
export function sharedCast(args: KernelArgs): TensorInfo | null {
  const x = args.inputs.x as TensorInfo;
  return args.attrs!.dtype === x.dtype ? share(asBackend(args.backend), x) : null;
}

/** Kernel name -> replacement (null: use the original); strings always use the original. */
export const WASM_COPY_KERNELS: Readonly<Record<string, (args: KernelArgs) => TensorInfo | TensorInfo[] | null>> = {
  Slice: fastSlice,
  Unpack: fastUnpack,
  SplitV: fastSplitV,
  Tile: fastTile,
  Identity: sharedIdentity,
  Cast: sharedCast,
};

export function isStringKernelCall(args: KernelArgs): boolean {
  return Object.values(args.inputs).some((t) => (t as TensorInfo | undefined)?.dtype === 'string');
}
