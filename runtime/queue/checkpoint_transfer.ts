/**
 * A job's checkpoints travel through Redis: after every checkpoint the worker stores the variant's
 * checkpoint folder (manifest.json and the files it lists, trainable tensors only: kilobytes to
 * megabytes) under one key, replacing the previous copy in one transaction. A worker that picks
 * up a job another worker left (killed, stalled) starts from that copy, and the submitter copies
 * the final one into its run directory. Names are checked on the way back: a file name that is
 * not a plain name never becomes a path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { writeFileAtomic } from '../../io/atomic.ts';
import { manifestPath } from '../store/checkpoint_store.ts';

const MANIFEST = 'manifest.json';
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export interface CheckpointFiles {
  readonly files: ReadonlyMap<string, Buffer>;
}

/** The folder's manifest and the checkpoint files it lists (read now: retention may delete them later); null when none. */
export function readCheckpointFolder(dir: string): CheckpointFiles | null {
  if (!existsSync(manifestPath(dir))) return null;
  const manifestBytes = readFileSync(manifestPath(dir));
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as {
    file?: string;
    checkpoints?: readonly { file: string }[];
  };
  const names = new Set((manifest.checkpoints ?? [{ file: manifest.file ?? '' }]).map((c) => c.file));
  const files = new Map<string, Buffer>();
  for (const name of names)
    if (PLAIN_NAME.test(name) && existsSync(join(dir, name))) files.set(name, readFileSync(join(dir, name)));
  files.set(MANIFEST, manifestBytes);
  return { files };
}

export async function uploadCheckpoints(redis: Redis, key: string, folder: CheckpointFiles): Promise<void> {
  const fields = [...folder.files].flatMap(([name, bytes]) => [name, bytes]);
  await redis
    .multi()
    .del(key)
    .hset(key, ...fields)
    .exec();
}

/** Writes the stored checkpoint folder into `dir` (manifest last); false when none is stored. */
export async function downloadCheckpoints(redis: Redis, key: string, dir: string): Promise<boolean> {
  const stored = await redis.hgetallBuffer(key);
  const names = Object.keys(stored);
  if (!names.includes(MANIFEST)) return false;
  const bad = names.filter((n) => !PLAIN_NAME.test(n));
  if (bad.length > 0)
    throw new Error(`${key}: refusing checkpoint file names that are not plain names: ${bad.join(', ')}`);
  for (const name of names) if (name !== MANIFEST) writeFileAtomic(join(dir, name), stored[name]!);
  writeFileAtomic(join(dir, MANIFEST), stored[MANIFEST]!);
  return true;
}
