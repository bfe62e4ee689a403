/**
 * Reads the binary fixtures written by scripts/fixtures/*.py in the "manifest + .bin" form:
 * <case>.json = {meta, tensors: {name: {dtype, shape, offset}}}, <case>.bin = little-endian data.
 * Also small comparison helpers for tests (max abs difference).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface FixtureEntry {
  readonly dtype: 'float32' | 'int32';
  readonly shape: number[];
  readonly offset: number;
}

export interface Fixture {
  readonly meta: Record<string, unknown>;
  readonly names: readonly string[];
  /** A fresh tf tensor (the caller disposes it). */
  tensor(name: string): tf.Tensor;
  /** The raw values. */
  values(name: string): Float32Array | Int32Array;
  shape(name: string): number[];
}

export function loadFixture(area: string, name: string): Fixture {
  const base = path.join(FIXTURES, area, name);
  const manifest = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as {
    meta: Record<string, unknown>;
    tensors: Record<string, FixtureEntry>;
  };
  const bytes = readFileSync(`${base}.bin`);
  const entry = (n: string): FixtureEntry => {
    const e = manifest.tensors[n];
    if (e === undefined) throw new Error(`fixture ${area}/${name} has no tensor '${n}'`);
    return e;
  };
  const values = (n: string) => {
    const e = entry(n);
    const count = e.shape.reduce((a, b) => a * b, 1);
    const copy = bytes.buffer.slice(bytes.byteOffset + e.offset, bytes.byteOffset + e.offset + 4 * count);
    return e.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
  };
  return {
    meta: manifest.meta,
    names: Object.keys(manifest.tensors),
    values,
    shape: (n) => [...entry(n).shape],
    tensor: (n) => tf.tensor(values(n), entry(n).shape, entry(n).dtype),
  };
}

/** Max |a - b| over all elements; Infinity when the shapes differ. */
export function maxAbsDiff(a: tf.Tensor | ArrayLike<number>, b: tf.Tensor | ArrayLike<number>): number {
  const va = a instanceof tf.Tensor ? a.dataSync() : a;
  const vb = b instanceof tf.Tensor ? b.dataSync() : b;
  if (a instanceof tf.Tensor && b instanceof tf.Tensor && a.shape.join() !== b.shape.join()) return Infinity;
  if (va.length !== vb.length) return Infinity;
  let max = 0;
  for (let i = 0; i < va.length; i++) max = Math.max(max, Math.abs((va[i] as number) - (vb[i] as number)));
  return Number.isNaN(max) ? Infinity : max;
}
