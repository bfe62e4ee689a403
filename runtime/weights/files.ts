/**
 * File access for weight readers and writers: whole-file reads that fail with a WeightsError
 * naming the file, and atomic writes (temporary file + rename) so a crash never leaves a
 * half-written weight or feature file behind.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../io/atomic.ts';
import { WeightsError } from './errors.ts';

export function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new WeightsError('io', path, `cannot read the file (${describe(error)})`);
  }
}

export function writeBytesAtomic(path: string, bytes: Uint8Array | string): void {
  try {
    writeFileAtomic(path, bytes);
  } catch (error) {
    throw new WeightsError('io', path, `cannot write the file (${describe(error)})`);
  }
}

/** A copy of `bytes[start, end)` in a fresh buffer, so typed-array views on it are aligned. */
export function copyBytes(bytes: Uint8Array, start: number, end: number): ArrayBuffer {
  const copy = new Uint8Array(end - start);
  copy.set(bytes.subarray(start, end));
  return copy.buffer;
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : String(error);
}
