/**
 * The language server driven over stdio by a real JSON-RPC client (vscode-jsonrpc): diagnostics
 * with the codes and exact ranges of `lpt check`, also for imported files; completion, hover and
 * definition at given positions; a did-you-mean quick fix applied; symbols; a clean shutdown.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  Hover,
  Location,
  TextEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { nodeCompilerHost } from '../../compiler/node_host.ts';
import { compile } from '../../compiler/compile.ts';
import { callNames, callSpec } from '../../compiler/spec/index.ts';
import { keywordIn, keywordsIn } from '../../compiler/spec/keywords.ts';
import { keywordRow } from '../../compiler/spec/reference.ts';
import { fileUri, repoRoot, startLspClient, type LspClient } from '../helpers/lsp_client.ts';

const demo = `import "presets/vit_tiny.lpt"

experiment demo extends tiny_vit {
  data {
    train = mnist(split: train) | longtail(ratio: 100, max: 500)
    test  = mnist(split: test)
  }
  prompt shared = deep(length: 10, layers: all) on vit
  head cls      = cosine(scale: 20)
  phase one {
    train sharde, cls
    loss agcl
    epochs 1
  }
  phase two after one { train cls }
  evaluate test { }
}
`;
const demoPath = resolve(repoRoot, 'experiments/lsp_demo.lpt');
const demoUri = fileUri('experiments/lsp_demo.lpt');
const presetUri = fileUri('experiments/presets/vit_tiny.lpt');

let client: LspClient;
test.before(async () => {
  client = await startLspClient();
});
test.after.always(async () => {
  if (client.child.exitCode === null) client.child.kill();
});

const at = (uri: string, line: number, character: number) => ({ textDocument: { uri }, position: { line, character } });
const completion = async (line: number, character: number): Promise<string[]> =>
  (
    (await client.connection.sendRequest('textDocument/completion', at(demoUri, line, character))) as CompletionItem[]
  ).map((i) => i.label);
const hoverText = async (line: number, character: number): Promise<string> =>
  (
    ((await client.connection.sendRequest('textDocument/hover', at(demoUri, line, character))) as Hover | null)
      ?.contents as { value: string } | undefined
  )?.value ?? '';

/** What `lpt check` reports for `text` at `path`, as LSP ranges. */
function checkDiagnostics(
  path: string,
  text: string,
): { code: string; range: Diagnostic['range']; severity: number }[] {
  const host = nodeCompilerHost(repoRoot);
  const result = compile(path, { ...host, readFile: (p) => (p === path ? text : host.readFile(p)) });
  const document = TextDocument.create('', 'lpt', 0, text);
  return result.diagnostics
    .filter((d) => d.span.file === path)
    .map((d) => ({
      code: `LPT${d.code}`,
      range: { start: document.positionAt(d.span.start), end: document.positionAt(d.span.end) },
      severity: d.severity === 'error' ? 1 : 2,
    }));
}

test.serial(
  'opening a file with errors publishes the diagnostics of lpt check, with codes and exact ranges',
  async (t) => {
    const published = client.diagnostics(demoUri);
    client.open(demoUri, demo);
    const diagnostics = await published;
    const unknown = diagnostics.find((d) => d.code === 'LPT2009');
    t.deepEqual(unknown?.range, { start: { line: 10, character: 10 }, end: { line: 10, character: 16 } });
    t.is(unknown?.severity, 1);
    t.regex(String(unknown?.message ?? ''), /Did you mean 'shared'\?/);
    t.deepEqual(
      diagnostics.map((d) => ({ code: d.code, range: d.range, severity: d.severity })),
      checkDiagnostics(demoPath, demo),
    );
  },
);

test.serial('completion: names in train and after, keywords at a statement start, arguments, losses', async (t) => {
  t.deepEqual(await completion(10, 10), ['shared', 'cls']);
  t.deepEqual(await completion(14, 18), ['one', 'two']);
  t.deepEqual(await completion(12, 4), [...keywordsIn('phase')]);
  t.deepEqual(await completion(3, 2), [...keywordsIn('experiment')]);
  const args = (await client.connection.sendRequest('textDocument/completion', at(demoUri, 8, 25))) as CompletionItem[];
  const cosineArgs = callSpec('head', 'cosine')!
    .args.map((a) => a.name)
    .filter((name) => name !== 'scale');
  t.true(cosineArgs.length > 0);
  t.deepEqual(
    args.map((a) => a.label),
    cosineArgs,
  );
  t.like(args[0], { insertText: `${cosineArgs[0]}: ` });
  t.regex(args[0]!.detail ?? '', /default/);
  const losses = await completion(11, 9);
  t.true(
    callNames('loss').every((name) => losses.includes(name)),
    losses.join(' '),
  );
  t.true((await completion(7, 19)).includes('pool'));
});

test.serial('hover shows the reference text of LANGUAGE.md; definition finds names, presets and imports', async (t) => {
  const row = keywordRow(keywordIn('experiment', 'prompt')!);
  t.true(readFileSync(resolve(repoRoot, 'docs/LANGUAGE.md'), 'utf8').includes(row));
  t.true((await hoverText(7, 3)).includes(row));
  t.regex(await hoverText(7, 19), /#### `deep` \(prompt kind\)[\s\S]*\| `length` \|/);
  t.regex(await hoverText(7, 24), /\| `length` \| an integer >= 1 \| `10` \|/);

  const definition = async (uri: string, line: number, character: number) =>
    (await client.connection.sendRequest('textDocument/definition', at(uri, line, character))) as Location | null;
  t.deepEqual(await definition(demoUri, 10, 19), {
    uri: demoUri,
    range: { start: { line: 8, character: 7 }, end: { line: 8, character: 10 } },
  });
  t.deepEqual(await definition(demoUri, 14, 20), {
    uri: demoUri,
    range: { start: { line: 9, character: 8 }, end: { line: 9, character: 11 } },
  });
  t.deepEqual(await definition(demoUri, 2, 28), {
    uri: presetUri,
    range: { start: { line: 3, character: 7 }, end: { line: 3, character: 15 } },
  });
  t.like(await definition(demoUri, 0, 12), { uri: presetUri, range: { start: { line: 0, character: 0 } } });
  t.like(await definition(demoUri, 7, 52), { uri: presetUri, range: { start: { line: 4, character: 11 } } });
});

test.serial('document symbols list the experiment with its members', async (t) => {
  const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', {
    textDocument: { uri: demoUri },
  })) as DocumentSymbol[];
  t.deepEqual(
    symbols.map((s) => s.name),
    ['demo'],
  );
  t.deepEqual(
    symbols[0]!.children!.map((s) => `${s.detail} ${s.name}`),
    ['data data', 'prompt shared', 'head cls', 'phase one', 'phase two', 'evaluate test'],
  );
});

test.serial(
  'the did-you-mean quick fix, applied, clears the diagnostic; a clean file hovers its parameter count',
  async (t) => {
    const diagnostics = client.latest(demoUri)!;
    const unknown = diagnostics.find((d) => d.code === 'LPT2009')!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: demoUri },
      range: unknown.range,
      context: { diagnostics: [unknown] },
    })) as CodeAction[];
    t.is(actions.length, 1);
    t.is(actions[0]!.title, "Change 'sharde' to 'shared'");
    const edits = actions[0]!.edit!.changes![demoUri]! as TextEdit[];
    const fixed = TextDocument.applyEdits(TextDocument.create(demoUri, 'lpt', 1, demo), edits);
    t.true(fixed.includes('train shared, cls'));
    const clean = client.diagnostics(demoUri, (ds) => !ds.some((d) => d.code === 'LPT2009'));
    client.change(demoUri, fixed, 2);
    t.deepEqual(
      (await clean).filter((d) => d.severity === 1),
      [],
    );

    const host = nodeCompilerHost(repoRoot);
    const plan = compile(demoPath, { ...host, readFile: (p) => (p === demoPath ? fixed : host.readFile(p)) }).plans[0]!;
    const params = plan.budget.modules.find((m) => m.name === 'shared')!.params;
    t.true(params > 0);
    t.true((await hoverText(7, 10)).includes(`${params.toLocaleString('en-US')} trainable parameters`));

    // While the file has errors again, hover keeps the counts of the last successful compile.
    const broken = client.diagnostics(demoUri, (ds) => ds.some((d) => d.code === 'LPT2009'));
    client.change(demoUri, demo, 3);
    await broken;
    t.true((await hoverText(7, 10)).includes(`${params.toLocaleString('en-US')} trainable parameters`));
  },
);

test.serial('an unsaved edit of an imported file is checked and rechecks the files importing it', async (t) => {
  const preset = readFileSync(resolve(repoRoot, 'experiments/presets/vit_tiny.lpt'), 'utf8');
  const broken = preset.replace('heads: 4', 'heads: 5');
  t.not(broken, preset);
  const presetErrors = client.diagnostics(presetUri, (ds) => ds.some((d) => d.code === 'LPT2031'));
  client.open(presetUri, broken);
  const [d] = (await presetErrors).filter((x) => x.code === 'LPT2031');
  t.is(d!.range.start.line, 4);
  const healed = client.diagnostics(presetUri, (ds) => ds.length === 0);
  client.change(presetUri, preset, 2);
  t.deepEqual(await healed, []);
});

test.serial('shutdown and exit end the server cleanly', async (t) => {
  t.is(await client.stop(), 0);
  t.deepEqual(
    client.stderr.filter((line) => /failed/.test(line)),
    [],
  );
});
