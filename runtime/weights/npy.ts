/**
 * NumPy .npy (format versions 1-3): magic "\x93NUMPY", version, a little-endian header length,
 * a Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`, then the
 * data. Reads float16/32/64 (as float32) and int32/64, either byte order, C or Fortran order;
 * writes version 1.0 C-order little-endian with the header padded to 64 bytes, as NumPy does.
 */
import { WeightsError } from './errors.ts';
import { decodeElements, storedItemSize, swapBytes, type StoredDType } from './decode.ts';
import { readBytes, writeBytesAtomic } from './files.ts';
import { formatShape, numel, tensorBytes, type HostDType, type HostTensor } from './tensor.ts';

const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const kinds: Readonly<Record<string, StoredDType>> = { f2: 'f16', f4: 'f32', f8: 'f64', i4: 'i32', i8: 'i64' };
const writtenDescr: Readonly<Record<HostDType, string>> = { float32: '<f4', int32: '<i4', int64: '<i8' };

export function readNpy(path: string): HostTensor {
  return parseNpy(readBytes(path), path);
}

export function writeNpy(path: string, tensor: HostTensor): void {
  writeBytesAtomic(path, encodeNpy(tensor, path));
}

/** Parse one .npy array; `file` (and `tensor`, for an .npz member) name it in errors. */
export function parseNpy(bytes: Uint8Array, file: string, tensor?: string): HostTensor {
  const fail = (problem: string) => new WeightsError('format', file, problem, tensor);
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw fail('not a .npy array (bad magic bytes)');
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw fail(`unsupported .npy format version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw fail('truncated .npy header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > bytes.length)
    throw fail(`header length ${headerLength} runs past the end of the ${bytes.length}-byte file`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, dataStart));
  const { descr, fortranOrder, shape } = parseHeader(header, fail);

  const order = descr[0];
  const stored = kinds[descr.slice(1)];
  if (stored === undefined || !(order === '<' || order === '>' || order === '=' || order === '|')) {
    throw new WeightsError('dtype', file, `unsupported dtype '${descr}' (supported: float16/32/64, int32/64)`, tensor);
  }
  const count = numel(shape);
  const needed = count * storedItemSize[stored];
  const available = bytes.length - dataStart;
  if (available !== needed) {
    throw fail(
      `data holds ${available} bytes, but '${descr}' ${formatShape(shape)} needs ${needed}${available < needed ? ' (truncated file?)' : ''}`,
    );
  }
  let data = bytes;
  let start = dataStart;
  if (order === '>') {
    data = bytes.slice(dataStart);
    start = 0;
    swapBytes(data, storedItemSize[stored]);
  }
  const decoded = decodeElements(data, start, count, stored, fortranOrder ? [...shape].reverse() : shape);
  return fortranOrder ? reverseAxes(decoded) : decoded;
}

function parseHeader(header: string, fail: (p: string) => WeightsError) {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw fail(`cannot read the .npy header ${JSON.stringify(header.trim())} (structured dtypes are not supported)`);
  }
  const parts = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const shape = parts.map((s) => (/^\d+L?$/.test(s) ? Number.parseInt(s, 10) : NaN));
  if (shape.some((d) => !Number.isSafeInteger(d))) throw fail(`bad shape (${shapeText}) in the .npy header`);
  return { descr, fortranOrder: fortran === 'True', shape };
}

/** A C-order array of shape reverse(S) holds a Fortran-order array of shape S; transpose it back. */
function reverseAxes(t: HostTensor): HostTensor {
  const reversed = t.shape;
  const shape = [...reversed].reverse();
  const rank = shape.length;
  const srcStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) srcStrides[i] = srcStrides[i + 1]! * reversed[i + 1]!;
  const out = new (t.data.constructor as new (n: number) => typeof t.data)(t.data.length);
  const index = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < t.data.length; flat++) {
    let src = 0;
    for (let a = 0; a < rank; a++) src += index[a]! * srcStrides[rank - 1 - a]!;
    out[flat] = t.data[src]!;
    for (let a = rank - 1; a >= 0; a--) {
      if (++index[a]! < shape[a]!) break;
      index[a] = 0;
    }
  }
  return { ...t, shape, data: out } as HostTensor;
}

export function encodeNpy(tensor: HostTensor, file: string, name?: string): Uint8Array {
  if (tensor.data.length !== numel(tensor.shape)) {
    throw new WeightsError(
      'shape',
      file,
      `has ${tensor.data.length} values but shape ${formatShape(tensor.shape)}`,
      name,
    );
  }
  const shapeText = tensor.shape.length === 1 ? `(${tensor.shape[0]},)` : `(${tensor.shape.join(', ')})`;
  let header = `{'descr': '${writtenDescr[tensor.dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + tensor.data.byteLength);
  out.set(magic, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(tensorBytes(tensor), 10 + header.length);
  return out;
}
