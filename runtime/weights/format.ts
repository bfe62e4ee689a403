/**
 * Weight containers by name: pick the reader or writer for a path, from an explicit format or
 * the file's extension (and, failing that, its first bytes). Metadata travels with the tensors
 * where the container has room for it (safetensors `__metadata__`, tfjs `userDefinedMetadata`).
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { WeightFormat } from '../../plan/enums.ts';
import { WeightsError } from './errors.ts';
import { readNpz, writeNpz } from './npz.ts';
import { parseSafetensors, writeSafetensors } from './safetensors.ts';
import { readBytes } from './files.ts';
import { readTfjs, writeTfjs } from './tfjs.ts';
import type { NamedTensors } from './tensor.ts';

export interface WeightFile {
  readonly format: WeightFormat;
  readonly tensors: NamedTensors;
  /** String values only; structured values are JSON-encoded by the writer. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** The format a path holds: by extension, else a directory or .json means tfjs, else sniffed. */
export function detectFormat(path: string): WeightFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.safetensors')) return 'safetensors';
  if (lower.endsWith('.npz')) return 'npz';
  if (lower.endsWith('.json') || (existsSync(path) && statSync(path).isDirectory())) return 'tfjs';
  const head = firstBytes(path, 4);
  if (head[0] === 0x50 && head[1] === 0x4b) return 'npz'; // "PK": a zip archive
  if (head.length === 4) return 'safetensors';
  throw new WeightsError(
    'format',
    path,
    `cannot tell the weight format (use .safetensors, .npz or a tfjs model.json, or name the format)`,
  );
}

export function readWeightFile(path: string, format: WeightFormat = detectFormat(path)): WeightFile {
  switch (format) {
    case 'safetensors': {
      const { tensors, metadata } = parseSafetensors(readBytes(path), path);
      return { format, tensors, metadata };
    }
    case 'npz':
      return { format, tensors: readNpz(path), metadata: {} };
    case 'tfjs': {
      const { tensors, metadata } = readTfjs(path);
      const strings = Object.fromEntries(
        Object.entries(metadata).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      );
      return { format, tensors, metadata: strings };
    }
  }
}

/** Write tensors (in map order) to `path`; the format comes from the extension unless given. */
export function saveWeights(
  path: string,
  tensors: NamedTensors,
  format: WeightFormat = detectWriteFormat(path),
  metadata: Record<string, string> = {},
): void {
  switch (format) {
    case 'safetensors':
      return writeSafetensors(path, tensors, metadata);
    case 'npz':
      return writeNpz(path, tensors);
    case 'tfjs':
      return writeTfjs(path, tensors, { metadata });
  }
}

function detectWriteFormat(path: string): WeightFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.safetensors')) return 'safetensors';
  if (lower.endsWith('.npz')) return 'npz';
  if (lower.endsWith('.json') || !/\.[a-z0-9]+$/.test(lower)) return 'tfjs';
  throw new WeightsError(
    'format',
    path,
    'cannot tell which format to write (use .safetensors, .npz, or a model.json / directory for tfjs)',
  );
}

function firstBytes(path: string, count: number): Uint8Array {
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = new Uint8Array(count);
      return buffer.subarray(0, readSync(fd, buffer, 0, count, 0));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new WeightsError('io', path, `cannot read the file (${(error as { code?: string }).code ?? String(error)})`);
  }
}
