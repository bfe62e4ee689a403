/**
 * Every check rule, run alone, passes cleanly on inputs that are right: the shipped experiment
 * files (every experiment, ablation base and variant) and the valid base the diagnostic fixtures
 * extend. Together with the failing fixture of each code (../diagnostics.test.ts) and the one-owner
 * test (ownership.test.ts), each rule is tested to fire where it should and only there.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import test from 'ava';
import { nodeCompilerHost } from '../../../compiler/node_host.ts';
import { bind } from '../../../compiler/bind/bind.ts';
import { check } from '../../../compiler/check/check.ts';
import { allRules } from '../../../compiler/check/rules/index.ts';
import { parseFile } from '../../../compiler/parse_file.ts';
import { loadProgram } from '../../../compiler/program/load.ts';
import { DiagnosticBag } from '../../../diagnostics/diagnose.ts';

const root = resolve(import.meta.dirname, '../../..');
const host = nodeCompilerHost(root);
const cleanFiles = [
  ...readdirSync(join(root, 'experiments'))
    .filter((f) => f.endsWith('.lpt'))
    .map((f) => join(root, 'experiments', f)),
  join(root, 'test/fixtures/compiler/diagnostics/_base.lpt'),
];

function models(file: string) {
  const program = loadProgram(file, host, parseFile);
  const bag = new DiagnosticBag();
  const bound = bind(program.files, file, bag);
  return [...bound.ablationBases, ...bound.experiments, ...bound.variants];
}

const corpus = cleanFiles.map((file) => ({ file, models: models(file) }));

test('the clean corpus holds experiments, ablation bases and variants', (t) => {
  t.true(corpus.reduce((n, c) => n + c.models.length, 0) >= 30);
});

for (const [i, rule] of allRules.entries()) {
  test(`${rule.name || `rule ${i + 1} of allRules`} reports no error on any valid experiment`, (t) => {
    const errors = corpus.flatMap(({ file, models: ms }) =>
      ms.flatMap((m) =>
        check(m, host, [rule])
          .diagnostics.filter((d) => d.severity === 'error')
          .map((d) => `${file.slice(root.length + 1)}: ${d.code} ${d.message}`),
      ),
    );
    t.deepEqual(errors, []);
  });
}
