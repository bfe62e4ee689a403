/**
 * The run directory's lock (docs/RUN_DIRECTORY.md): a process that writes a run directory holds
 * run.lock in it, naming its pid, host and start time. A second writer is refused while the holder
 * lives; a lock whose holder is dead (same host, no such process, or older than the last boot) is
 * taken over with a warning. The lock file appears complete or not at all (written beside, then
 * hard-linked into place, which fails if a lock exists), so a reader never sees half a lock.
 */
import { UserError } from '../errors.ts';
import { hostname, uptime } from 'node:os';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the holder took the lock. */
  readonly started: string;
  readonly command: string;
}

export interface RunLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Removes the lock if it is still ours; also done when the process exits. */
  release(): void;
}

export class RunLockedError extends UserError {
  override readonly name = 'RunLockedError';
}

export function lockPath(runDir: string): string {
  return join(runDir, 'run.lock');
}

export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host} (started ${h.started}: ${h.command})`;
}

/** Takes the lock of `runDir` (which must exist); `warn` hears about a dead holder's lock taken over. */
export function acquireRunLock(
  runDir: string,
  warn: (message: string) => void,
  command = process.argv.slice(1).join(' '),
): RunLock {
  const path = lockPath(runDir);
  const holder: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command };
  const draft = join(runDir, `.run.lock.${process.pid}.${Date.now()}`);
  writeFileSync(draft, `${JSON.stringify(holder, null, 2)}\n`);
  try {
    // Two tries: the second follows taking over a dead holder's lock.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (tryLink(draft, path)) return held(path, holder);
      const current = readHolder(path);
      if (current === null) continue; // released meanwhile
      if (current === 'unreadable' || isAlive(current) !== false) throw lockedError(runDir, path, current);
      if (!takeOver(path, current)) throw lockedError(runDir, path, readHolder(path) ?? 'unreadable');
      warn(`${path}: took over the lock of ${describeHolder(current)}, which is no longer running`);
    }
    throw lockedError(runDir, path, readHolder(path) ?? 'unreadable');
  } finally {
    rmSync(draft, { force: true });
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function readHolder(path: string): LockHolder | 'unreadable' | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    return Number.isSafeInteger(h.pid) && typeof h.host === 'string' && typeof h.started === 'string'
      ? h
      : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** true or false when known; undefined when the holder is on another host (we cannot tell). */
export function isAlive(h: LockHolder): boolean | undefined {
  if (h.host !== hostname()) return undefined;
  const booted = Date.now() - uptime() * 1000;
  if (Date.parse(h.started) < booted) return false; // the machine restarted since
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Moves the dead holder's lock aside, checking it was that lock (not a new one) that moved. */
function takeOver(path: string, dead: LockHolder): boolean {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
  const moved = readHolder(aside);
  const same = moved !== null && moved !== 'unreadable' && moved.pid === dead.pid && moved.started === dead.started;
  if (!same) tryLink(aside, path); // another process took it over first: put its lock back
  rmSync(aside, { force: true });
  return same;
}

function held(path: string, holder: LockHolder): RunLock {
  const release = () => {
    process.off('exit', release);
    const current = readHolder(path);
    if (
      current !== null &&
      current !== 'unreadable' &&
      current.pid === holder.pid &&
      current.started === holder.started
    )
      rmSync(path, { force: true });
  };
  process.on('exit', release);
  return { path, holder, release };
}

function lockedError(runDir: string, path: string, holder: LockHolder | 'unreadable'): RunLockedError {
  if (holder === 'unreadable')
    return new RunLockedError(
      `${runDir} is locked (${path} exists but cannot be read); if no lpt process uses this directory, delete ${path}`,
    );
  const where =
    isAlive(holder) === undefined
      ? `; lpt cannot tell from ${hostname()} whether it still runs: if it does not, delete ${path}`
      : '';
  return new RunLockedError(`${runDir} is in use by ${describeHolder(holder)}${where}`);
}
