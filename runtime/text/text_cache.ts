/**
 * The on-disk cache of class-name embeddings. An entry is `<key>.npy` (float32 [C, E]) with a
 * `<key>.json` note for people (weights file, template, class count, architecture); the key is a
 * SHA-256 of what determines the embeddings: the weights file's content hash, the naming, the
 * activation, the template and the class list. Entries are written atomically, so a
 * killed run leaves either a whole entry or none; a damaged entry is recomputed.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/atomic.ts';
import { readNpy, writeNpy } from '../weights/npy.ts';
import type { Float32Tensor } from '../weights/tensor.ts';

/** The cache folder of a folder of run directories (the plan's `out`, or `lpt run --out`). */
export function textEmbeddingCacheDir(outDir: string): string {
  return join(outDir, '.cache', 'text-embeddings');
}

const hashes = new Map<string, string>();

/** SHA-256 of a file's bytes, read in 8 MiB chunks; remembered per (path, size, mtime) in this process. */
export function fileHash(path: string): string {
  const { size, mtimeMs } = statSync(path);
  const memo = `${path}\0${size}\0${mtimeMs}`;
  const known = hashes.get(memo);
  if (known) return known;
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(8 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  const digest = hash.digest('hex');
  hashes.set(memo, digest);
  return digest;
}

export interface CacheKeyParts {
  readonly weightsHash: string;
  readonly naming: string;
  readonly activation: string;
  readonly template: string;
  readonly classes: readonly string[];
}

export function cacheKey(parts: CacheKeyParts): string {
  const { weightsHash, naming, activation, template, classes } = parts;
  return createHash('sha256')
    .update(JSON.stringify({ v: 1, weightsHash, naming, activation, template, classes }))
    .digest('hex');
}

export function cachePath(dir: string, key: string): string {
  return join(dir, `${key}.npy`);
}

/** The cached embeddings under `key` when present, whole and [rows, any E]; else null. */
export function readCached(dir: string, key: string, rows: number): Float32Tensor | null {
  const path = cachePath(dir, key);
  if (!existsSync(path)) return null;
  try {
    const t = readNpy(path);
    return t.dtype === 'float32' && t.shape.length === 2 && t.shape[0] === rows ? t : null;
  } catch {
    return null; // a damaged entry is recomputed and overwritten
  }
}

export function writeCached(
  dir: string,
  key: string,
  embeddings: Float32Tensor,
  note: Readonly<Record<string, unknown>>,
): string {
  const path = cachePath(dir, key);
  writeNpy(path, embeddings);
  writeFileAtomic(join(dir, `${key}.json`), `${JSON.stringify(note, null, 1)}\n`);
  return path;
}
