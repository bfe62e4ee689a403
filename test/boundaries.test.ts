/**
 * The import boundaries of the layout (README "Layout"): the plan contract and the diagnostics are
 * leaves, the grammar and the runtime never reach into the compiler. Scans every source file's
 * static and dynamic imports, resolved against the file, so a new import across a boundary fails here.
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** Top-level folder of every relative import of `file` (packages are ignored). */
export function importedFolders(file: string, text = readFileSync(join(root, file), 'utf8')): string[] {
  const specifiers = [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(root, resolve(join(root, dirname(file)), s)).split('/')[0]!);
}

const allowed: Record<string, readonly string[]> = {
  plan: ['plan'],
  diagnostics: ['diagnostics'],
  grammar: ['grammar', 'diagnostics'],
  runtime: ['runtime', 'plan'],
};

for (const [folder, may] of Object.entries(allowed)) {
  test(`${folder}/ imports only from ${may.join(', ')}`, (t) => {
    const files = sourceFiles(folder);
    t.true(files.length > 0);
    const crossings = files.flatMap((f) =>
      importedFolders(f)
        .filter((to) => !may.includes(to))
        .map((to) => `${f} -> ${to}/`),
    );
    t.deepEqual(crossings, []);
  });
}

test('runtime/supports.ts (the capability check the compiler calls) imports only the plan contract', (t) => {
  t.deepEqual([...new Set(importedFolders('runtime/supports.ts'))], ['plan']);
  t.deepEqual(
    readFileSync(join(root, 'runtime/supports.ts'), 'utf8').match(/from '\.\/[^']*'/g) ?? [],
    [],
    'no runtime module (and so no tfjs) behind the check',
  );
});

test('the scan sees static, re-exported and dynamic imports', (t) => {
  const text =
    "import { a } from '../compiler/x.ts';\nexport { b } from '../plan/p.ts';\nconst m = await import('../cli/c.ts');\nimport type { T } from 'chevrotain';";
  t.deepEqual(importedFolders('runtime/f.ts', text), ['compiler', 'plan', 'cli']);
});
