/**
 * Shared bits of the weight tests: the parity fixtures' manifest (written by
 * scripts/fixtures/make_vit_fixtures.py), fixture paths, temporary directories and random tensors.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackboneArchitecture } from '../../../runtime/weights/infer.ts';
import type { WeightNaming } from '../../../plan/enums.ts';
import type { Float32Tensor } from '../../../runtime/weights/tensor.ts';

export const fixtureDir = join(import.meta.dirname, '../../fixtures/vit');

export interface FixtureWeights {
  readonly file: string;
  readonly naming: WeightNaming;
  readonly style?: string;
}
export interface Fixture {
  readonly name: string;
  readonly weights: readonly FixtureWeights[];
  readonly input: string;
  readonly expected: string;
  readonly expectedProjection?: string;
  readonly architecture: BackboneArchitecture;
}

export const fixtures: readonly Fixture[] = JSON.parse(
  readFileSync(join(fixtureDir, 'manifest.json'), 'utf-8'),
).fixtures;

export function fixturePath(file: string): string {
  return join(fixtureDir, file);
}

/** Every (fixture, weight file) pair, for table-driven tests. */
export const weightCases = fixtures.flatMap((fixture) => fixture.weights.map((weights) => ({ fixture, weights })));

export function withTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-weights-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function withTempDirAsync(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-weights-'));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Deterministic pseudo-random floats (a small LCG; tests need variety, not quality). */
export function randomTensor(shape: readonly number[], seed = 1): Float32Tensor {
  let state = seed >>> 0 || 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = (state / 2 ** 32) * 4 - 2;
  }
  return { dtype: 'float32', shape: [...shape], data };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Canonical (lpt-named) tensors of the right shapes for a small architecture, random values. */
export function canonicalTensors(a: {
  dim: number;
  depth: number;
  channels: number;
  patch: number;
  grid: number;
  mlp: number;
}): Map<string, Float32Tensor> {
  const { dim: D, depth, channels: C, patch: P, grid: G, mlp: H } = a;
  const shapes: [string, number[]][] = [
    ['patch_embed.proj.weight', [D, C, P, P]],
    ['patch_embed.proj.bias', [D]],
    ['cls_token', [1, 1, D]],
    ['pos_embed', [1, 1 + G * G, D]],
  ];
  for (let i = 0; i < depth; i++) {
    shapes.push(
      [`blocks.${i}.norm1.weight`, [D]],
      [`blocks.${i}.norm1.bias`, [D]],
      [`blocks.${i}.attn.qkv.weight`, [3 * D, D]],
      [`blocks.${i}.attn.qkv.bias`, [3 * D]],
      [`blocks.${i}.attn.proj.weight`, [D, D]],
      [`blocks.${i}.attn.proj.bias`, [D]],
      [`blocks.${i}.norm2.weight`, [D]],
      [`blocks.${i}.norm2.bias`, [D]],
      [`blocks.${i}.mlp.fc1.weight`, [H, D]],
      [`blocks.${i}.mlp.fc1.bias`, [H]],
      [`blocks.${i}.mlp.fc2.weight`, [D, H]],
      [`blocks.${i}.mlp.fc2.bias`, [D]],
    );
  }
  shapes.push(['norm.weight', [D]], ['norm.bias', [D]]);
  return new Map(shapes.map(([name, shape], k) => [name, randomTensor(shape, k + 1)]));
}
