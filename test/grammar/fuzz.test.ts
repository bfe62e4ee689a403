/**
 * Fuzzing the front end with token-level mutations of real sources: the syntax example and every
 * experiments/**\/*.lpt present when the test runs. For each mutant, parseFile must not throw,
 * every diagnostic span must lie in the text (one diagnostic per offset, each printable), and
 * every AST node's span must lie in the text and inside its parent's span.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import type { SourceFile } from '../../compiler/ast.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { formatDiagnostic } from '../../diagnostics/format.ts';
import { parseFile } from '../../compiler/parse_file.ts';
import { mutations } from '../helpers/mutate.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MUTANTS_PER_SOURCE = 500;

function experimentSources(): string[] {
  const dir = join(root, 'experiments');
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.lpt'))
      .sort()
      .map((name) => join('experiments', name));
  } catch {
    return [];
  }
}

type Spanned = { span: { file: string; start: number; end: number } };

/** Parses one mutant; returns its diagnostic count and the first broken invariant, if any. */
function check(path: string, text: string): { diagnostics: number; broken?: string } {
  const { ast, diagnostics } = parseFile(path, text);
  return { diagnostics: diagnostics.length, broken: brokenInvariant(path, text, ast, diagnostics) };
}

function brokenInvariant(
  path: string,
  text: string,
  ast: SourceFile,
  diagnostics: readonly Diagnostic[],
): string | undefined {
  const starts = new Set<number>();
  for (const d of diagnostics) {
    const { start, end, file } = d.span;
    if (!(file === path && 0 <= start && start <= end && end <= text.length))
      return `diagnostic span ${start}..${end} (${d.message})`;
    if (starts.has(start)) return `two diagnostics at offset ${start}`;
    starts.add(start);
    if (!formatDiagnostic(d, text).includes(`[LPT${d.code}]`)) return `diagnostic ${d.code} did not format`;
  }
  const walk = (node: unknown, parent: Spanned['span']): string | undefined => {
    if (Array.isArray(node)) {
      for (const item of node) {
        const broken = walk(item, parent);
        if (broken) return broken;
      }
      return undefined;
    }
    if (typeof node !== 'object' || node === null) return undefined;
    let inner = parent;
    if ('span' in node) {
      const { span, kind } = node as Spanned & { kind?: string };
      if (span.file !== path || span.start < parent.start || span.start > span.end || span.end > parent.end) {
        return `${kind} span ${span.start}..${span.end} outside ${parent.start}..${parent.end}`;
      }
      inner = span;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'span') continue;
      const broken = walk(child, inner);
      if (broken) return broken;
    }
    return undefined;
  };
  return walk(ast, { file: path, start: 0, end: text.length });
}

function fuzz(t: ExecutionContext, path: string, text: string, seed: number): void {
  let withDiagnostics = 0;
  const mutants = mutations(text, seed, MUTANTS_PER_SOURCE);
  mutants.forEach((mutant, index) => {
    let result: ReturnType<typeof check>;
    try {
      result = check(path, mutant);
    } catch (error) {
      result = { diagnostics: 0, broken: `threw ${String(error)}` };
    }
    if (result.broken) t.fail(`${path} mutant ${index} (seed ${seed}): ${result.broken}\n${mutant}`);
    if (result.diagnostics > 0) withDiagnostics++;
  });
  t.is(mutants.length, MUTANTS_PER_SOURCE);
  // The mutations must actually break things, or the fuzzing proves nothing.
  t.true(withDiagnostics > MUTANTS_PER_SOURCE / 2, `only ${withDiagnostics} mutants had diagnostics`);
}

const examplePath = 'test/fixtures/grammar/syntax-example.lpt';
const example = readFileSync(join(root, examplePath), 'utf8');

test('the syntax example parses cleanly before mutation', (t) => {
  const { ast, diagnostics } = parseFile(examplePath, example);
  t.deepEqual(diagnostics, []);
  t.is(ast.statements.length, 3);
});

test(`fuzz: ${MUTANTS_PER_SOURCE} mutants of the syntax example`, (t) => {
  fuzz(t, examplePath, example, 20251126);
});

const experiments = experimentSources();
test('the shipped experiments are found for fuzzing', (t) => {
  t.true(
    experiments.some((p) => p.endsWith('quickstart.lpt')),
    experiments.join(', '),
  );
});
experiments.forEach((path, i) => {
  test(`fuzz: ${MUTANTS_PER_SOURCE} mutants of ${path}`, (t) => {
    fuzz(t, path, readFileSync(join(root, path), 'utf8'), 1000 + i);
  });
});

test('mutations are deterministic per seed and differ between seeds', (t) => {
  t.deepEqual(mutations(example, 7, 20), mutations(example, 7, 20));
  t.notDeepEqual(mutations(example, 7, 20), mutations(example, 8, 20));
  t.true(mutations(example, 7, 20).every((mutant) => mutant !== example));
});
