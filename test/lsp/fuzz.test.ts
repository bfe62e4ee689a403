/**
 * The server survives any edit sequence: mutants of the shipped quickstart (test/helpers/mutate.ts)
 * sent as successive edits, each followed by completion, hover and symbol requests at a random
 * position; every request is answered, no handler fails, and the server still publishes the
 * diagnostics of a clean file at the end. Kept to a modest number of edits (shared machine).
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { mutations, seededRandom } from '../helpers/mutate.ts';
import { fileUri, repoRoot, startLspClient } from '../helpers/lsp_client.ts';

const edits = 30;

test('the server answers every request through a sequence of mutated edits', async (t) => {
  const client = await startLspClient();
  t.teardown(() => {
    if (client.child.exitCode === null) client.child.kill();
  });
  const uri = fileUri('experiments/lsp_fuzz.lpt');
  const original = readFileSync(resolve(repoRoot, 'experiments/quickstart.lpt'), 'utf8');
  const random = seededRandom(7);
  client.open(uri, original);
  let version = 1;
  for (const mutant of mutations(original, 7, edits)) {
    client.change(uri, mutant, ++version);
    const document = TextDocument.create(uri, 'lpt', version, mutant);
    const position = document.positionAt(Math.floor(random() * (mutant.length + 1)));
    const at = { textDocument: { uri }, position };
    const answers = await Promise.all([
      client.connection.sendRequest('textDocument/completion', at),
      client.connection.sendRequest('textDocument/hover', at),
      client.connection.sendRequest('textDocument/definition', at),
      client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }),
      client.connection.sendRequest('textDocument/formatting', {
        textDocument: { uri },
        options: { tabSize: 2, insertSpaces: true },
      }),
    ]);
    t.true(Array.isArray(answers[0]));
  }
  const clean = client.diagnostics(uri, (ds) => !ds.some((d) => d.severity === 1));
  client.change(uri, original, version + 1);
  t.deepEqual(
    (await clean).filter((d) => d.severity === 1),
    [],
  );
  t.is(await client.stop(), 0);
  t.deepEqual(
    client.stderr.filter((line) => /failed/.test(line)),
    [],
  );
});
