/**
 * Seeded random numbers for everything stochastic in a run (long-tail subsampling, samplers,
 * augmentation, GCL noise). The generator is pure-rand's xoroshiro128+; its 128-bit state is
 * derived by hashing (seed, ...stream keys), so `createRng(seed, 'sampler', epoch)` is an
 * independent stream that depends on nothing but its arguments. That is what makes a resumed
 * run reproduce the batches of an uninterrupted one: no stream carries state across epochs.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

export type StreamKey = number | string;

export interface Rng {
  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
}

/** murmur3's 32-bit finaliser: a bijective mix with full avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function keyWords(key: StreamKey): number[] {
  if (typeof key === 'string') {
    // FNV-1a over UTF-16 code units, tagged so that 'a' and a number never collide by accident.
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return [0x5354, h >>> 0];
  }
  if (!Number.isSafeInteger(key)) throw new Error(`rng stream key must be a safe integer, got ${key}`);
  const low = key >>> 0;
  const high = Math.floor(key / 0x100000000) >>> 0;
  return [0x4e55, low, high];
}

/** Four 32-bit state words from the seed and stream keys. */
export function deriveState(seed: number, keys: readonly StreamKey[]): [number, number, number, number] {
  const words = [...keyWords(seed), ...keys.flatMap(keyWords)];
  const state: [number, number, number, number] = [0, 0, 0, 0];
  for (let lane = 0; lane < 4; lane++) {
    let h = fmix32(0x9e3779b9 * (lane + 1));
    for (const w of words) h = fmix32((h ^ fmix32(w + lane)) + 0x7f4a7c15);
    state[lane] = h | 0;
  }
  if (state.every((w) => w === 0)) state[0] = 1; // xoroshiro must not start from all zeros
  return state;
}

/** An independent stream for (seed, ...keys). */
export function createRng(seed: number, ...keys: StreamKey[]): Rng {
  const gen = xoroshiro128plusFromState(deriveState(seed, keys));
  let spare: number | undefined;
  return {
    uniform: () => uniformFloat64(gen),
    int(n) {
      if (!(Number.isInteger(n) && n > 0)) throw new Error(`rng.int needs a positive integer, got ${n}`);
      return uniformInt(gen, 0, n - 1);
    },
    normal() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      const u = 1 - uniformFloat64(gen); // (0, 1]: log never sees 0
      const v = uniformFloat64(gen);
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}

/** Fisher-Yates in place; returns the same array. */
export function shuffleInPlace<A extends unknown[] | Int32Array>(items: A, rng: Rng): A {
  const view = items as unknown as unknown[];
  for (let i = view.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = view[i];
    view[i] = view[j];
    view[j] = tmp;
  }
  return items;
}

/** A uniformly random permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return shuffleInPlace(out, rng);
}

/** `count` draws from N(mean, std^2) as float32, row-major; used for GCL's cloud noise. */
export function normalArray(rng: Rng, count: number, std = 1, mean = 0): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = mean + std * rng.normal();
  return out;
}
