/** Completion in process, on positions the stdio test does not cover: scorer experts, data stages, choices. */
import test from 'ava';
import type { CompletionItem } from 'vscode-languageserver';
import { parseFile } from '../../compiler/parse_file.ts';
import { callNames } from '../../compiler/spec/index.ts';
import { complete } from '../../lsp/completion.ts';
import { ProgramIndex } from '../../lsp/program.ts';

/** Labels offered at the `@` in `source` (the marker is removed). */
function labelsAt(source: string): string[] {
  const offset = source.indexOf('@');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const path = '/p/main.lpt';
  return complete(parseFile(path, text).ast, offset, new ProgramIndex(new Map([[path, text]]))).map(
    (i: CompletionItem) => i.label,
  );
}

const model = `experiment x {
  backbone vit = vit(image: 28, patch: 7, dim: 64, depth: 6, heads: 4, channels: 1)
  backbone clip = vit(image: 28, patch: 7, dim: 64, depth: 6, heads: 4, channels: 1)
  prompt shared = deep(length: 4) on vit
  prompt group = pool(size: 4, query: shared) on vit
  head cls = cosine
  head vl = cosine
  expert visual = expert(backbone: vit, modules: [shared, group], head: cls)
  expert text = expert(backbone: clip, modules: [], head: vl)
`;

test('experts in a scorer, modules and heads in an expert', (t) => {
  t.deepEqual(labelsAt(`${model}  scorer mix = moe(experts: [visual, @])\n}`), ['visual', 'text']);
  t.deepEqual(labelsAt(`${model}  expert e = expert(backbone: vit, head: @)\n}`), ['cls', 'vl']);
  t.deepEqual(labelsAt(`${model}  expert e = expert(backbone: @)\n}`), ['vit', 'clip']);
  t.deepEqual(
    labelsAt(`${model}  prompt q = pool(query: @)\n}`).filter((l) => l !== 'none'),
    ['shared'],
  );
});

test('data pipelines: sources first, then subsampling and transforms', (t) => {
  t.deepEqual(labelsAt('experiment x { data { train = @ } }'), [...callNames('source')]);
  t.deepEqual(labelsAt('experiment x { data { train = mnist | @ } }'), [...callNames(['subsample', 'transform'])]);
});

test('choices of an argument, and of a property', (t) => {
  t.deepEqual(labelsAt('experiment x { data { train = mnist(split: @) } }'), ['train', 'test']);
  t.true(labelsAt('experiment x { evaluate test { metrics overall, @ } }').includes('per_class'));
  t.deepEqual(labelsAt('experiment x { phase one { optim @ } }'), [...callNames('optimizer')]);
});
