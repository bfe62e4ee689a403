/**
 * safetensors (https://github.com/huggingface/safetensors): an 8-byte little-endian header
 * length N, N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?}`,
 * then the raw little-endian tensor bytes, offsets relative to the end of the header.
 * Reads F32/F16/BF16/F64 (as float32) and I32/I64; writes F32/I32/I64. Every offset and size is
 * checked against the file before any tensor is decoded.
 */
import { WeightsError } from './errors.ts';
import { decodeElements, storedItemSize, type StoredDType } from './decode.ts';
import { readBytes, writeBytesAtomic } from './files.ts';
import { formatShape, numel, tensorBytes, type HostDType, type NamedTensors } from './tensor.ts';

const fileDTypes: Readonly<Record<string, StoredDType>> = {
  F16: 'f16',
  BF16: 'bf16',
  F32: 'f32',
  F64: 'f64',
  I32: 'i32',
  I64: 'i64',
};
const writtenDTypes: Readonly<Record<HostDType, string>> = { float32: 'F32', int32: 'I32', int64: 'I64' };

/** Header sizes beyond this are corruption, not weights (the reference implementation's limit). */
const maxHeaderBytes = 100_000_000;

export interface SafetensorsContents {
  readonly tensors: NamedTensors;
  readonly metadata: Readonly<Record<string, string>>;
}

export function readSafetensors(path: string): NamedTensors {
  return parseSafetensors(readBytes(path), path).tensors;
}

export function writeSafetensors(path: string, tensors: NamedTensors, metadata: Record<string, string> = {}): void {
  writeBytesAtomic(path, encodeSafetensors(tensors, path, metadata));
}

interface Entry {
  readonly name: string;
  readonly stored: StoredDType;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/** Parse a whole safetensors file; `file` only names it in errors. */
export function parseSafetensors(bytes: Uint8Array, file: string): SafetensorsContents {
  const fail = (problem: string, tensor?: string) => new WeightsError('format', file, problem, tensor);
  if (bytes.length < 8) throw fail(`too short for a safetensors header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = Number(view.getBigUint64(0, true));
  if (headerBytes > maxHeaderBytes || 8 + headerBytes > bytes.length) {
    throw fail(
      `header length ${headerBytes} runs past the end of the ${bytes.length}-byte file (truncated or not safetensors)`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerBytes)));
  } catch (error) {
    throw fail(`header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw fail('header is not a JSON object');

  const dataStart = 8 + headerBytes;
  const dataBytes = bytes.length - dataStart;
  const entries: Entry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(value, fail);
      continue;
    }
    entries.push(parseEntry(file, name, value, dataBytes));
  }
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < byOffset.length; i++) {
    if (byOffset[i]!.begin < byOffset[i - 1]!.end) {
      throw fail(`data_offsets overlap those of '${byOffset[i - 1]!.name}'`, byOffset[i]!.name);
    }
  }
  const tensors: NamedTensors = new Map();
  for (const e of entries) {
    tensors.set(e.name, decodeElements(bytes, dataStart + e.begin, numel(e.shape), e.stored, e.shape));
  }
  return { tensors, metadata };
}

function parseEntry(file: string, name: string, value: unknown, dataBytes: number): Entry {
  const fail = (problem: string, tensor?: string) => new WeightsError('format', file, problem, tensor);
  const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
  if (typeof entry !== 'object' || entry === null) throw fail('header entry is not an object', name);
  const stored = typeof entry.dtype === 'string' ? fileDTypes[entry.dtype] : undefined;
  if (stored === undefined) {
    throw new WeightsError(
      'dtype',
      file,
      `unsupported dtype ${JSON.stringify(entry.dtype)} (supported: ${Object.keys(fileDTypes).join(', ')})`,
      name,
    );
  }
  const shape = entry.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw fail(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`, name);
  }
  const offsets = entry.data_offsets;
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    throw fail(`data_offsets ${JSON.stringify(offsets)} are not [begin, end] with 0 <= begin <= end`, name);
  }
  const [begin, end] = offsets as [number, number];
  const needed = numel(shape) * storedItemSize[stored];
  if (end - begin !== needed) {
    throw fail(
      `data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but ${entry.dtype} ${formatShape(shape)} needs ${needed}`,
      name,
    );
  }
  if (end > dataBytes) {
    throw fail(
      `data ends at byte ${end} of the data section, which has only ${dataBytes} bytes (truncated file?)`,
      name,
    );
  }
  return { name, stored, shape, begin, end };
}

function parseMetadata(value: unknown, fail: (p: string) => WeightsError): Record<string, string> {
  if (typeof value !== 'object' || value === null || !Object.values(value).every((v) => typeof v === 'string')) {
    throw fail('__metadata__ is not an object of strings');
  }
  return { ...(value as Record<string, string>) };
}

/** Serialise tensors in map order; the header is padded with spaces to 8 bytes, as the reference writer does. */
export function encodeSafetensors(
  tensors: NamedTensors,
  file: string,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, tensor] of tensors) {
    if (tensor.data.length !== numel(tensor.shape)) {
      throw new WeightsError(
        'shape',
        file,
        `has ${tensor.data.length} values but shape ${formatShape(tensor.shape)}`,
        name,
      );
    }
    const size = tensor.data.byteLength;
    header[name] = { dtype: writtenDTypes[tensor.dtype], shape: tensor.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf-8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const tensor of tensors.values()) {
    out.set(tensorBytes(tensor), at);
    at += tensor.data.byteLength;
  }
  return out;
}
