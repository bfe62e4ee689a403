/**
 * The layers of the layout (README "Layout") and no import cycles. Every source file's relative
 * imports (type-only ones included: ESLint's import-x/no-cycle does not see those) are checked
 * against one table of which folder may import which, so a new import across a boundary fails
 * here; a helper that two layers need lives below both (io/atomic.ts, compiler/node_host.ts).
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, findCycles, importGraph, relativeImports, sourceFiles } from './helpers/import_graph.ts';

const SOURCES = ['plan', 'diagnostics', 'io', 'grammar', 'format', 'runtime', 'compiler', 'lsp', 'cli'];

/**
 * What each part may import besides itself, lowest layers first. A key or an entry is a folder
 * or a file; a file belongs to its longest key.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  // The contracts between compiler, runtime and report; the message catalogue; atomic file writes.
  plan: [],
  diagnostics: [],
  io: [],
  grammar: ['diagnostics'],
  format: ['grammar', 'diagnostics'],
  runtime: ['plan', 'io'],
  // Of the runtime, only the capability check (checked below to pull in no tfjs).
  compiler: ['grammar', 'diagnostics', 'plan', 'runtime/supports.ts'],
  lsp: ['compiler', 'format', 'grammar', 'diagnostics', 'plan'],
  cli: ['lsp', 'compiler', 'format', 'grammar', 'diagnostics', 'plan', 'runtime', 'io'],
  bin: ['cli'],
  // Measures the runtime alone; reads its own flags and environment.
  bench: ['runtime', 'plan', 'io'],
  // Generators and developer tools: anything but the bench and the tests.
  scripts: SOURCES,
  // Stand-alone programs: the addon's build and the VS Code extension (which starts `lpt lsp`).
  native: [],
  editors: [],
  test: [...SOURCES, 'bench', 'scripts'],
  // Shared by the tests, so it imports no test file; the bench's step is what test/helpers/paper_shapes.ts checks.
  'test/helpers': [...SOURCES, 'bench'],
};

/** The longest key of MAY_IMPORT that `path` lies in, or undefined. */
function partOf(path: string, keys: readonly string[] = Object.keys(MAY_IMPORT)): string | undefined {
  return keys.filter((key) => path === key || path.startsWith(`${key}/`)).sort((a, b) => b.length - a.length)[0];
}

/** The imports of `files` that the table does not allow, as `from -> to`. */
function crossings(files: readonly string[], graph = importGraph(files)): string[] {
  return [...graph].flatMap(([from, imports]) => {
    const part = partOf(from)!;
    const allowed = [part, ...MAY_IMPORT[part]!];
    return imports.filter((to) => partOf(to, allowed) === undefined).map((to) => `${from} -> ${to}`);
  });
}

const files = sourceFiles().filter((file) => file.includes('/'));
const graph = importGraph(files);

test('every top folder with source files has a row in the table', (t) => {
  const tops = [...new Set(files.map((file) => file.split('/')[0]!))];
  t.deepEqual(
    tops.filter((top) => !(top in MAY_IMPORT)),
    [],
  );
  for (const key of Object.keys(MAY_IMPORT))
    t.true(
      files.some((file) => partOf(file) === key),
      `${key} has files`,
    );
});

test('every import stays within what the table allows', (t) => {
  t.deepEqual(crossings(files, graph), []);
});

test('no import cycles, type-only imports included', (t) => {
  t.deepEqual(
    findCycles(graph).map((cycle) => cycle.join(' -> ')),
    [],
  );
});

test('runtime/supports.ts (the capability check the compiler calls) imports only the plan contract', (t) => {
  t.deepEqual(relativeImports('runtime/supports.ts'), ['plan/plan.ts']);
  t.notRegex(readFileSync(join(ROOT, 'runtime/supports.ts'), 'utf8'), /from '@tensorflow/, 'no tfjs behind the check');
});

test('the scan sees static, type-only, re-exported and dynamic imports, and leaves packages out', (t) => {
  const text = [
    "import { a } from '../compiler/x.ts';",
    "import type { T } from '../lsp/t.ts';",
    "export { b } from '../plan/p.ts';",
    "export * from './sibling.ts';",
    "const m = await import('../cli/c.ts');",
    "import type { U } from 'chevrotain';",
    "import { readFileSync } from 'node:fs';",
  ].join('\n');
  t.deepEqual(relativeImports('runtime/f.ts', text), [
    'compiler/x.ts',
    'lsp/t.ts',
    'plan/p.ts',
    'runtime/sibling.ts',
    'cli/c.ts',
  ]);
});

test('the table refuses an import across a boundary and allows the listed ones', (t) => {
  const fake = new Map([
    ['runtime/a.ts', ['compiler/b.ts', 'plan/plan.ts', 'runtime/c.ts']],
    ['compiler/d.ts', ['runtime/supports.ts', 'runtime/run/run_plan.ts']],
    ['test/helpers/e.ts', ['test/cli/x.test.ts', 'test/helpers/f.ts', 'runtime/h.ts']],
  ]);
  t.deepEqual(crossings([...fake.keys()], fake), [
    'runtime/a.ts -> compiler/b.ts',
    'compiler/d.ts -> runtime/run/run_plan.ts',
    'test/helpers/e.ts -> test/cli/x.test.ts',
  ]);
});

test('a cycle is reported as a path of files, one per knot, type-only edges counted like any other', (t) => {
  const fake = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts', 'd.ts']],
    ['c.ts', ['a.ts']],
    ['d.ts', []],
    ['e.ts', ['e.ts']],
    ['f.ts', ['g.ts']],
    ['g.ts', ['f.ts', 'd.ts']],
  ]);
  t.deepEqual(findCycles(fake), [
    ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
    ['e.ts', 'e.ts'],
    ['f.ts', 'g.ts', 'f.ts'],
  ]);
});
