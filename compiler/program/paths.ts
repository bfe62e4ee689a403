/**
 * Path arithmetic for sources and plans (pure string functions from node:path, no disk access).
 * A path written in a .lpt file is relative to that file; a path in a plan is relative to the
 * working directory when it lies below it, else absolute.
 */
import * as path from 'node:path';

export function absolutePath(p: string, cwd: string): string {
  return path.resolve(cwd, p);
}

/** A path written inside `file` (itself absolute). */
export function resolveFrom(file: string, p: string): string {
  return path.resolve(path.dirname(file), p);
}

/** How a plan records an absolute path. */
export function planPath(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}

export function joinPath(...parts: string[]): string {
  return path.join(...parts);
}

export function dirnameOf(p: string): string {
  return path.dirname(p);
}

export function extensionOf(p: string): string {
  return path.extname(p).toLowerCase();
}
