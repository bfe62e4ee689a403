/**
 * `formatSource`: the exact layout on a messy file, idempotence on every shipped .lpt file and on
 * mutated ones, and meaning preserved: a file formatted (or its whitespace scrambled and then
 * formatted) compiles to plans with the same hashes and to the same diagnostics.
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { nodeCompilerHost } from '../../compiler/node_host.ts';
import { compile, type CompileResult } from '../../compiler/compile.ts';
import { formatSource } from '../../format/format.ts';
import { tokenizeWithComments } from '../../grammar/trivia.ts';
import { mutations, seededRandom } from '../helpers/mutate.ts';

const root = resolve(import.meta.dirname, '../..');
const lptFilesIn = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.lpt'))
    .sort()
    .map((f) => join(root, dir, f));
const shipped = lptFilesIn('experiments');
const experimentFiles = shipped.filter((f) => !f.includes('/presets/'));

function formatted(text: string, file = 'main.lpt'): string {
  const result = formatSource(text, file);
  if (!result.ok) throw new Error(`${file} does not parse: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return result.text;
}

/** Compile `file` with some files' text replaced (absolute path -> text). */
function compileWith(file: string, replaced: ReadonlyMap<string, string>): CompileResult {
  const host = nodeCompilerHost(root);
  return compile(file, { ...host, readFile: (path) => replaced.get(path) ?? host.readFile(path) });
}

const hashes = (r: CompileResult): string[] => r.plans.map((p) => `${p.name} ${p.hash}`);
const diagnostics = (r: CompileResult): string[] => r.diagnostics.map((d) => `${d.code} ${d.message}`);

/** The same tokens and comments joined by random whitespace (a newline after line comments). */
function scrambled(text: string, seed: number): string {
  const random = seededRandom(seed);
  const { tokens, comments } = tokenizeWithComments(text);
  const items = [...tokens, ...comments].sort((a, b) => a.startOffset - b.startOffset);
  return items
    .map((item) => item.image + (item.image.startsWith('//') || random() < 0.3 ? '\n' : random() < 0.2 ? '   ' : ' '))
    .join('');
}

test('a messy file gets the canonical layout', (t) => {
  const messy = [
    'import "presets/vit_tiny.lpt"   // trailing',
    'experiment   q extends tiny_vit{seed 0 classes 10',
    '  data{train=mnist(split:train)|longtail(ratio:100,max:500)',
    '  |normalize( mean:0.5 ,std:0.5 )',
    '  test=mnist(split:test)}',
    '',
    '',
    '  /* kept */',
    '  prompt shared=deep(length:10,layers:4..6) on vit',
    '  phase one{train shared,cls;loss agcl-0.5*matching; epochs -1',
    '  optim sgd(lr: 0.01,',
    '  momentum: 0.9)}',
    '  phase two after one {',
    '  }',
    '  evaluate test { metrics overall , shots ; every phase }',
    '}',
  ].join('\n');
  const expected = [
    'import "presets/vit_tiny.lpt" // trailing',
    'experiment q extends tiny_vit {',
    '  seed 0',
    '  classes 10',
    '  data {',
    '    train = mnist(split: train) | longtail(ratio: 100, max: 500)',
    '          | normalize(mean: 0.5, std: 0.5)',
    '    test  = mnist(split: test)',
    '  }',
    '',
    '  /* kept */',
    '  prompt shared = deep(length: 10, layers: 4..6) on vit',
    '  phase one {',
    '    train shared, cls;',
    '    loss agcl - 0.5 * matching;',
    '    epochs -1',
    '    optim sgd(lr: 0.01,',
    '              momentum: 0.9)',
    '  }',
    '  phase two after one { }',
    '  evaluate test { metrics overall, shots; every phase }',
    '}',
    '',
  ].join('\n');
  t.is(formatted(messy), expected);
});

test('one-line blocks of one keyword line up their braces; a blank line starts a new group', (t) => {
  const source = 'ablation a of b {\n  variant "x" { }\n  variant "longer" { drop two }\n\n  variant "y" { }\n}\n';
  t.is(
    formatted(source),
    'ablation a of b {\n  variant "x"      { }\n  variant "longer" { drop two }\n\n  variant "y" { }\n}\n',
  );
});

test('every shipped file is formatted already, and formatting is idempotent', (t) => {
  t.true(shipped.length >= 10);
  for (const file of shipped) {
    const text = readFileSync(file, 'utf8');
    t.is(formatted(text, file), text, file);
  }
});

test('scrambled whitespace formats back to a fixed point with the same plans', (t) => {
  let planned = 0;
  for (const [index, file] of experimentFiles.entries()) {
    const original = compileWith(file, new Map());
    if (original.plans.length > 0) planned++;
    const once = formatted(scrambled(readFileSync(file, 'utf8'), index), file);
    t.is(formatted(once, file), once, file);
    const again = compileWith(file, new Map([[file, once]]));
    t.deepEqual(hashes(again), hashes(original), file);
    t.deepEqual(diagnostics(again), diagnostics(original), file);
  }
  t.true(planned >= 4, `only ${planned} shipped experiment files compile to plans`);
});

test('mutated files: formatting is idempotent and keeps plans and diagnostics', (t) => {
  const file = join(root, 'experiments/quickstart.lpt');
  const text = readFileSync(file, 'utf8');
  let parsed = 0;
  for (const mutant of mutations(text, 16, 120)) {
    const result = formatSource(mutant, file);
    if (!result.ok) {
      t.true(result.diagnostics.every((d) => d.code < 2000));
      continue;
    }
    parsed++;
    t.is(formatted(result.text, file), result.text);
    const before = compileWith(file, new Map([[file, mutant]]));
    const after = compileWith(file, new Map([[file, result.text]]));
    t.deepEqual(hashes(after), hashes(before));
    t.deepEqual(diagnostics(after), diagnostics(before));
  }
  t.true(parsed >= 10, `only ${parsed} of 120 mutants parse`);
});

test('a file with syntax errors is not formatted', (t) => {
  const result = formatSource('experiment a { seed 0 ', 'broken.lpt');
  t.false(result.ok);
  if (!result.ok) t.true(result.diagnostics.some((d) => d.code === 1102));
});
