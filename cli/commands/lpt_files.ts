/** Command-line file arguments: a file as given, or every .lpt file below a folder (sorted). */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './command.ts';

export function lptFiles(given: readonly string[], cwd: string): string[] {
  return given.flatMap((p) => expand(resolve(cwd, p), p));
}

function expand(path: string, given: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new UsageError(`cannot read '${given}'.`);
  }
  if (!isDirectory) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.lpt'))
    .sort()
    .map((f) => join(path, f));
}
