/**
 * The checkpoint files of one variant (docs/RUN_DIRECTORY.md): safetensors files named by
 * position, and manifest.json listing the retained ones, newest first, each with its size and
 * sha256. Writing adds the new file, then rewrites the manifest, then deletes what retention drops
 * (the last N of each phase are kept), so a failed write leaves the previous checkpoint listed and
 * intact. Loading validates the newest file and falls back to the one before it, with a warning,
 * when it fails validation.
 */
import { UserError } from '../errors.ts';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/atomic.ts';
import { WeightsError } from '../weights/errors.ts';
import { parseSafetensors, type SafetensorsContents } from '../weights/safetensors.ts';

export interface CheckpointPosition {
  /** Index of the phase in the plan's phase list. */
  readonly phaseIndex: number;
  readonly phase: string;
  /** The next step to run: (epoch, step) within the phase. A finished phase has epoch = epochs. */
  readonly epoch: number;
  readonly step: number;
  /** Phases finished before this one (their modules are trained). */
  readonly finished: readonly string[];
}

export interface CheckpointEntry extends CheckpointPosition {
  readonly optimizerStep: number;
  readonly file: string;
  readonly written: string;
  readonly bytes: number;
  /** Absent in manifests written before retention. */
  readonly sha256?: string;
}

/** The newest checkpoint's fields at the top level; `checkpoints` lists every retained one, newest first. */
export interface CheckpointManifest extends CheckpointEntry {
  readonly planHash: string;
  readonly checkpoints: readonly CheckpointEntry[];
}

export const defaultKeepCheckpoints = 2;

export class CheckpointError extends UserError {
  override readonly name = 'CheckpointError';
}

export function manifestPath(dir: string): string {
  return join(dir, 'manifest.json');
}

/** Writes one checkpoint file and the manifest; returns the file's path. */
export function storeCheckpoint(
  dir: string,
  planHash: string,
  position: CheckpointPosition,
  optimizerStep: number,
  bytes: Uint8Array,
  keep: number,
): string {
  const file = `${position.phase}-e${position.epoch}-s${position.step}.safetensors`;
  const path = join(dir, file);
  const before = existsSync(manifestPath(dir)) ? readManifest(dir, planHash) : null;
  const previous = before?.checkpoints ?? [];
  const entry: CheckpointEntry = {
    ...position,
    optimizerStep,
    file,
    written: new Date().toISOString(),
    bytes: bytes.length,
    sha256: sha256(bytes),
  };
  const kept = retain([entry, ...previous.filter((e) => e.file !== file)], keep);
  const fail = (target: string, e: unknown) => {
    const last = previous[0];
    const intact =
      last === undefined
        ? 'there is no earlier checkpoint'
        : `the previous checkpoint, ${join(dir, last.file)}, is intact`;
    return new CheckpointError(
      `cannot write the checkpoint ${target} (${describe(e)}); the run stops here, and ${intact}`,
    );
  };
  try {
    writeFileAtomic(path, bytes);
  } catch (e) {
    throw fail(path, e);
  }
  const manifest: CheckpointManifest = { ...entry, planHash, checkpoints: kept };
  try {
    writeFileAtomic(manifestPath(dir), `${JSON.stringify(manifest, null, 2)}\n`);
  } catch (e) {
    if (!previous.some((p) => p.file === file)) rmSync(path, { force: true });
    throw fail(manifestPath(dir), e);
  }
  for (const dropped of previous)
    if (!kept.some((k) => k.file === dropped.file)) rmSync(join(dir, dropped.file), { force: true });
  return path;
}

/** The newest `keep` entries of each phase, in the order given (newest first). */
export function retain(entries: readonly CheckpointEntry[], keep: number): CheckpointEntry[] {
  const perPhase = new Map<string, number>();
  return entries.filter((e) => {
    const n = (perPhase.get(e.phase) ?? 0) + 1;
    perPhase.set(e.phase, n);
    return n <= keep;
  });
}

export interface ValidCheckpoint {
  readonly entry: CheckpointEntry;
  readonly contents: SafetensorsContents;
}

/**
 * The newest valid checkpoint (null when none was written), of phase `phase` when given; `warn`
 * hears of each one skipped.
 */
export function loadCheckpoint(
  dir: string,
  planHash: string,
  warn: (message: string) => void,
  phase?: string,
): ValidCheckpoint | null {
  if (!existsSync(manifestPath(dir))) return null;
  const manifest = readManifest(dir, planHash);
  const failures: string[] = [];
  for (const entry of manifest.checkpoints.filter((e) => phase === undefined || e.phase === phase)) {
    const path = join(dir, entry.file);
    const problem = validate(path, entry, planHash);
    if (typeof problem === 'string') {
      failures.push(`${path}: ${problem}`);
      continue;
    }
    for (const failure of failures) warn(`the checkpoint ${failure}; resuming from the one before it, ${path}`);
    return { entry, contents: problem };
  }
  if (failures.length === 0 && phase !== undefined) return null;
  throw new CheckpointError(`no usable checkpoint in ${dir}:\n  ${failures.join('\n  ')}`);
}

/** Every retained checkpoint the manifest lists, newest first, not validated (none when none was written). */
export function listCheckpoints(dir: string, planHash: string): readonly CheckpointEntry[] {
  return existsSync(manifestPath(dir)) ? readManifest(dir, planHash).checkpoints : [];
}

/** The newest checkpoint the manifest lists, not validated (null when none was written). */
export function newestCheckpoint(dir: string, planHash: string): CheckpointEntry | null {
  return listCheckpoints(dir, planHash)[0] ?? null;
}

function validate(path: string, entry: CheckpointEntry, planHash: string): SafetensorsContents | string {
  if (!existsSync(path)) return 'the file is missing';
  const bytes = readFileSync(path);
  if (entry.sha256 === undefined) return parse(bytes, path, planHash);
  if (bytes.length !== entry.bytes)
    return `fails validation: ${bytes.length} bytes where the manifest says ${entry.bytes} (truncated?)`;
  if (sha256(bytes) !== entry.sha256) return 'fails validation: its sha256 differs from the manifest (corrupted)';
  return parse(bytes, path, planHash);
}

function parse(bytes: Uint8Array, path: string, planHash: string): SafetensorsContents | string {
  try {
    const contents = parseSafetensors(bytes, path);
    if (contents.metadata.planHash !== planHash)
      return `fails validation: it belongs to plan ${contents.metadata.planHash ?? '(none)'}`;
    return contents;
  } catch (e) {
    return `fails validation: ${e instanceof WeightsError ? e.problem : describe(e)}`;
  }
}

function readManifest(dir: string, planHash: string): CheckpointManifest {
  const path = manifestPath(dir);
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as CheckpointManifest;
  } catch (e) {
    throw new CheckpointError(`${path}: cannot read the checkpoint manifest (${describe(e)})`);
  }
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.file !== 'string') {
    throw new CheckpointError(`${path}: not a checkpoint manifest`);
  }
  // Manifests written before retention name one checkpoint and carry no sizes or hashes.
  if (!Array.isArray(manifest.checkpoints)) manifest = { ...manifest, checkpoints: [manifest] };
  if (manifest.planHash !== planHash) {
    throw new CheckpointError(
      `${path}: the checkpoints belong to plan ${String(manifest.planHash).slice(0, 19)}, not ${planHash.slice(0, 19)}`,
    );
  }
  return manifest;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
