/** The repository's TypeScript sources under a folder, for the architecture tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const root = join(import.meta.dirname, '../..');

/** Paths relative to the repository root of the .ts and .tsx files under `dir`. */
export function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

export const code = (file: string) => readFileSync(join(root, file), 'utf8');
