/**
 * Every file a comment or a document cites exists in the repository: a citation is resolved
 * beside the citing file, then from the root, so a neighbour's bare name and a path from the
 * root both resolve, while a file outside the repository, an old name from
 * before a rename or a file that moved fails here with the citing file and line.
 */
import test from 'ava';
import { citations, resolves } from './helpers/cited_paths.ts';
import { ROOT, sourceFiles } from './helpers/import_graph.ts';

/** Names that look like repository paths and are not, each with its reason. */
const NOT_REPOSITORY_FILES: readonly { readonly names: RegExp; readonly why: string }[] = [
  {
    names: /^(?:RUN_DIR\/|runs\/.*)?(?:results|plan|run|queue|slurm|manifest)\.json$/,
    why: 'files of a run directory (docs/RUN_DIRECTORY.md) or a plan the user writes',
  },
  { names: /^model\.json$/, why: "TensorFlow.js's weights manifest (runtime/weights/tfjs.ts)" },
  { names: /^(?:TensorFlow|Node)\.js$/, why: 'product names' },
  {
    names: /^(?:dtypes|encoder|tokenizer|pipeline|expected)\.json$/,
    why: "files a fixture script writes into its output folder, listed in the script's docstring",
  },
  {
    names: /^(?:phase2_test\/)?(?:train_dual_dualloss\.py|PromptModels_pool\/structure\.py)$/,
    why: "files of the LPT authors' repository (github.com/DongSky/LPT)",
  },
  { names: /^(?:clip\/)?(?:simple_tokenizer|model)\.py$/, why: "files of OpenAI's CLIP repository" },
  { names: /^dist\/tf-core\.node\.js$|^_grad\.js$/, why: 'files of the @tensorflow/tfjs-core package' },
  { names: /^diagnosticMessages\.json$/, why: "the TypeScript compiler's message catalogue, which ours imitates" },
  {
    names: /^presets\/\w+\.lpt$/,
    why: 'an `import` as an experiment in experiments/ writes it (resolved beside that file)',
  },
  {
    names:
      /^(?:experiments\/[ax]\.lpt|path\.lpt|cli\/commands\/NAME\.ts|test\/fixtures\/compiler\/diagnostics\/NNNN-what\.lpt)$/,
    why: 'placeholders in examples and usage lines',
  },
  {
    names: /^\/(?:path\/to\/|p\/|tmp\/wink\/)/,
    why: 'absolute paths of examples: a placeholder, in-memory test files, a download outside the repository',
  },
];

/** ava writes these reports of its snapshots; they name the test file beside the snapshot file. */
const GENERATED = /\/snapshots\/[^/]+\.md$/;

const CITING_FILE = /\.(?:tsx?|mjs|js|py|sh|md|lpt)$/;

function missingCitations(files: readonly string[]): string[] {
  return files
    .filter((file) => !GENERATED.test(file))
    .flatMap((file) => citations(file))
    .filter((c) => !resolves(c.file, c.path) && !NOT_REPOSITORY_FILES.some((n) => n.names.test(c.path)))
    .map((c) => `${c.file}:${c.line}: ${c.path}`);
}

test('every file path cited in a comment or a document exists in the repository', (t) => {
  const files = sourceFiles('.', CITING_FILE);
  t.true(files.includes('docs/METHOD.md') && files.includes('compiler/compile.ts'));
  t.deepEqual(missingCitations(files), []);
});

test('citations are read from comments and prose, not from code, strings or code examples', (t) => {
  const ts = [
    '/** See ../notes/METHOD.md, /var/syntax.md and merge.ts. */',
    "import { x } from './not_a_citation.ts';",
    "const s = 'nor_this.md'; // but STYLE.md here",
    'const r = /a\\/\\/b.ts/;',
  ].join('\n');
  t.deepEqual(
    citations('compiler/bind/x.ts', ts).map((c) => `${c.line}: ${c.path}`),
    ['1: ../notes/METHOD.md', '1: /var/syntax.md', '1: merge.ts', '3: STYLE.md'],
  );
  const md = [
    'See [the method](docs/METHOD.md), `diagnostics.ts` and [spec.ts](../compiler/spec/model.ts).',
    '```ts',
    "import './example.ts';",
    '```',
  ];
  t.deepEqual(
    citations('docs/X.md', md.join('\n')).map((c) => c.path),
    ['docs/METHOD.md', 'diagnostics.ts', '../compiler/spec/model.ts'],
  );
  t.deepEqual(
    citations('scripts/x.py', '"""From METHOD.md."""\nx = "y.py"  # see make_vit_fixtures.py').map((c) => c.path),
    ['METHOD.md', 'make_vit_fixtures.py'],
  );
  t.deepEqual(
    citations('experiments/x.lpt', 'import "presets/vit_tiny.lpt"\n// as lpt.lpt does').map((c) => c.path),
    ['lpt.lpt'],
  );
});

test('a citation resolves beside the citing file or from the root, and an old or outside path does not', (t) => {
  t.true(resolves('compiler/bind/layer.ts', 'merge.ts'));
  t.true(resolves('compiler/bind/layer.ts', 'docs/METHOD.md'));
  t.true(resolves('compiler/bind/layer.ts', '../compile.ts'));
  t.false(resolves('compiler/bind/layer.ts', 'compile.ts'));
  t.false(
    resolves('compiler/spec/model.ts', '../../..'),
    'the folder above the checkout exists, but outside the repository',
  );
  t.false(resolves('diagnostics/span.ts', 'diagnostics.ts'));
  t.false(resolves('grammar/parser.ts', '/etc/os-release'));
  t.false(resolves('grammar/parser.ts', `${ROOT}/grammar/parser.ts`), 'an absolute path is never a repository path');
  t.deepEqual(missingCitations(['compiler/compile.ts']), []);
});
