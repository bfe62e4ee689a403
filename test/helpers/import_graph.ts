/**
 * The repository's own import graph, for test/boundaries.test.ts: every relative import of every
 * source file (static, `import type`, `export ... from`, dynamic `import()` and `require`, as the
 * TypeScript compiler's pre-processor reads them), resolved to repository paths, and the cycles
 * in it, each as a path of files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(import.meta.dirname, '..', '..');

/** Folders that hold no source of the repository's own: packages, build outputs, runs. */
const NOT_SOURCE = new Set(['node_modules', '.git', 'runs', 'build', 'out']);
const SOURCE_FILE = /\.(ts|tsx|mts|js|mjs|cjs)$/;

/** Every file under `dir` whose name matches `kind` (repository-relative, '/'-separated), in a stable order. */
export function sourceFiles(dir = '.', kind = SOURCE_FILE): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = dir === '.' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) return NOT_SOURCE.has(entry.name) ? [] : sourceFiles(path, kind);
      return kind.test(entry.name) ? [path] : [];
    });
}

/** The repository paths `file` imports by relative specifier (packages and `node:` modules are left out). */
export function relativeImports(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('./') || specifier.startsWith('../'))
    .map((specifier) =>
      relative(ROOT, resolve(ROOT, dirname(file), specifier))
        .split('\\')
        .join('/'),
    );
}

export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export function importGraph(files: readonly string[]): ImportGraph {
  return new Map(files.map((file) => [file, relativeImports(file)]));
}

/**
 * One cycle per strongly connected set of files (Tarjan's algorithm), as the shortest path from
 * the set's first file back to itself (first, second, ..., first). Fixing it shows the next, if any.
 */
export function findCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const lowest = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    lowest.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        lowest.set(file, Math.min(lowest.get(file)!, lowest.get(next)!));
      } else if (onStack.has(next)) lowest.set(file, Math.min(lowest.get(file)!, index.get(next)!));
    }
    if (lowest.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)!.includes(file)) components.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return components.map((component) => shortestCycle(graph, component[0]!, new Set(component)));
}

/** Breadth-first from `start` within `component` until an edge leads back to `start`. */
function shortestCycle(graph: ImportGraph, start: string, component: ReadonlySet<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (const file of queue) {
    for (const next of graph.get(file) ?? []) {
      if (next === start) {
        const path = [start];
        for (let at = file; at !== start; at = cameFrom.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (component.has(next) && !cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  throw new Error(`no cycle through ${start}`);
}
