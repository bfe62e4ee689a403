/**
 * The TensorFlow.js weights format: a model.json whose `weightsManifest` lists groups of
 * `{paths: [shard files], weights: [{name, shape, dtype, quantization?}]}`; each group's shards
 * concatenate to the weights' bytes in order. Reads float32/int32 and the uint8/uint16/float16
 * quantisations (value = q * scale + min); writes float32/int32 in 4 MB shards, shards first and
 * model.json last, each atomically, so a reader never sees a manifest without its data.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { WeightsError } from './errors.ts';
import { decode16 } from './half.ts';
import { copyBytes, readBytes, writeBytesAtomic } from './files.ts';
import { formatShape, numel, tensorBytes, type HostTensor, type NamedTensors } from './tensor.ts';

interface ManifestEntry {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: string;
  readonly quantization?: { readonly dtype: string; readonly scale?: number; readonly min?: number };
}
interface ManifestGroup {
  readonly paths: string[];
  readonly weights: ManifestEntry[];
}

const quantizedSize: Readonly<Record<string, number>> = { uint8: 1, uint16: 2, float16: 2 };
const defaultShardBytes = 4 * 1024 * 1024;

/** `path` is a model.json or the directory holding one. */
export function modelJsonPath(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, 'model.json') : path;
}

export function readTfjs(path: string): { tensors: NamedTensors; metadata: Record<string, unknown> } {
  const file = modelJsonPath(path);
  const fail = (problem: string, tensor?: string) => new WeightsError('format', file, problem, tensor);
  let model: { weightsManifest?: unknown; userDefinedMetadata?: Record<string, unknown> };
  try {
    model = JSON.parse(new TextDecoder().decode(readBytes(file)));
  } catch (error) {
    if (error instanceof WeightsError) throw error;
    throw fail(`is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(model?.weightsManifest))
    throw fail('has no weightsManifest list (not a TensorFlow.js model.json)');
  const tensors: NamedTensors = new Map();
  for (const group of model.weightsManifest as ManifestGroup[]) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights))
      throw fail('a weightsManifest group lacks paths or weights');
    const shards = group.paths.map((p) => readBytes(join(dirname(file), p)));
    const bytes = concat(shards);
    let offset = 0;
    for (const entry of group.weights) {
      const tensor = decodeEntry(entry, bytes, offset, file);
      offset += entryBytes(entry, file);
      tensors.set(entry.name, tensor);
    }
    if (offset !== bytes.length)
      throw fail(`shards ${group.paths.join(', ')} hold ${bytes.length} bytes, but the manifest describes ${offset}`);
  }
  return { tensors, metadata: { ...(model.userDefinedMetadata ?? {}) } };
}

function entryBytes(entry: ManifestEntry, file: string): number {
  if (typeof entry?.name !== 'string') throw new WeightsError('format', file, 'a manifest weight has no name');
  if (!Array.isArray(entry.shape) || !entry.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new WeightsError(
      'format',
      file,
      `shape ${JSON.stringify(entry.shape)} is not a list of non-negative integers`,
      entry.name,
    );
  }
  const q = entry.quantization;
  const size = q ? quantizedSize[q.dtype] : entry.dtype === 'float32' || entry.dtype === 'int32' ? 4 : undefined;
  if (size === undefined) {
    throw new WeightsError(
      'dtype',
      file,
      `unsupported dtype '${q ? `quantized ${q.dtype}` : entry.dtype}' (supported: float32, int32, uint8/uint16/float16 quantization)`,
      entry.name,
    );
  }
  return numel(entry.shape) * size;
}

function decodeEntry(entry: ManifestEntry, bytes: Uint8Array, offset: number, file: string): HostTensor {
  const size = entryBytes(entry, file);
  if (offset + size > bytes.length) {
    throw new WeightsError(
      'format',
      file,
      `needs bytes ${offset}..${offset + size} but the shards hold only ${bytes.length} (truncated shard?)`,
      entry.name,
    );
  }
  const count = numel(entry.shape);
  const shape = [...entry.shape];
  const q = entry.quantization;
  if (!q) {
    const buffer = copyBytes(bytes, offset, offset + size);
    return entry.dtype === 'int32'
      ? { dtype: 'int32', shape, data: new Int32Array(buffer) }
      : { dtype: 'float32', shape, data: new Float32Array(buffer) };
  }
  let data: Float32Array;
  if (q.dtype === 'float16') {
    data = decode16(bytes.subarray(offset, offset + size), count, 'f16');
  } else {
    const raw =
      q.dtype === 'uint8'
        ? bytes.subarray(offset, offset + size)
        : new Uint16Array(copyBytes(bytes, offset, offset + size));
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    data = Float32Array.from(raw, (v) => v * scale + min);
  }
  return entry.dtype === 'int32'
    ? { dtype: 'int32', shape, data: Int32Array.from(data, Math.round) }
    : { dtype: 'float32', shape, data };
}

export interface TfjsWriteOptions {
  readonly shardBytes?: number;
  readonly metadata?: Record<string, unknown>;
}

/** Write `model.json` plus `group1-shardKofN.bin` files; `path` is the model.json or its directory. */
export function writeTfjs(path: string, tensors: NamedTensors, options: TfjsWriteOptions = {}): void {
  const file = path.endsWith('.json') ? path : join(path, 'model.json');
  const weights: ManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const [name, tensor] of tensors) {
    if (tensor.data.length !== numel(tensor.shape)) {
      throw new WeightsError(
        'shape',
        file,
        `has ${tensor.data.length} values but shape ${formatShape(tensor.shape)}`,
        name,
      );
    }
    weights.push({ name, shape: [...tensor.shape], dtype: tensor.dtype === 'float32' ? 'float32' : 'int32' });
    parts.push(tensor.dtype === 'int64' ? narrowInt64(tensor.data, file, name) : tensorBytes(tensor));
  }
  const bytes = concat(parts);
  const shardBytes = options.shardBytes ?? defaultShardBytes;
  const count = Math.max(1, Math.ceil(bytes.length / shardBytes));
  const prefix = basename(file, '.json') === 'model' ? 'group1' : `${basename(file, '.json')}.group1`;
  const paths = Array.from({ length: count }, (_, i) => `${prefix}-shard${i + 1}of${count}.bin`);
  paths.forEach((p, i) =>
    writeBytesAtomic(join(dirname(file), p), bytes.subarray(i * shardBytes, (i + 1) * shardBytes)),
  );
  const model = {
    format: 'lpt-weights',
    generatedBy: 'lpt',
    convertedBy: null,
    modelTopology: null,
    weightsManifest: [{ paths, weights }],
    ...(options.metadata ? { userDefinedMetadata: options.metadata } : {}),
  };
  writeBytesAtomic(file, JSON.stringify(model, null, 1));
}

function narrowInt64(data: BigInt64Array, file: string, name: string): Uint8Array {
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v > 2147483647n || v < -2147483648n)
      throw new WeightsError('dtype', file, 'int64 value does not fit the int32 that TensorFlow.js stores', name);
    out[i] = Number(v);
  }
  return new Uint8Array(out.buffer);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
