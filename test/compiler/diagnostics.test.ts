/**
 * One failing file per diagnostic code: test/fixtures/compiler/diagnostics/NNNN-what.lpt must
 * produce code NNNN starting exactly after its `/*^*\/` marker (or `offset N` characters after it,
 * when a header comment says so), and no error with another code unless a header comment says
 * `also reports: CODE ...` (warnings may accompany it). Every code of diagnostics/messages.ts that
 * a source file can produce has such a file.
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { nodeCompilerHost } from '../../compiler/node_host.ts';
import { compile } from '../../compiler/compile.ts';
import { allMessages } from '../../diagnostics/messages.ts';

const root = resolve(import.meta.dirname, '../..');
const dir = join(root, 'test/fixtures/compiler/diagnostics');
const marker = '/*^*/';
const fixtures = readdirSync(dir)
  .filter((f) => /^\d{4}-.+\.lpt$/.test(f))
  .sort();
const host = nodeCompilerHost(root);

/**
 * Codes that cannot come from a source file: an unreadable root file, the plan schema, internal
 * errors; 1108 is the parser's wording for a token no rule can start with, which the grammar's
 * property fallback makes unreachable in practice (kept so that a parser change cannot go unworded).
 */
const notFromFixtures = new Set([1108, 2061, 3001, 4001]);

for (const fixture of fixtures) {
  const code = Number(fixture.slice(0, 4));
  test(`${fixture} reports ${code} at its marker`, (t) => {
    const path = join(dir, fixture);
    const text = readFileSync(path, 'utf8');
    const at = text.indexOf(marker);
    t.true(at >= 0, 'the fixture has a /*^*/ marker');
    const expected = at + marker.length + Number(/^\/\/.*\boffset (-?\d+)/m.exec(text)?.[1] ?? 0);
    const also = new Set(
      (/^\/\/ also reports: ([\d ]+)/m.exec(text)?.[1] ?? '').trim().split(/\s+/).filter(Boolean).map(Number),
    );
    const { diagnostics, plans } = compile(path, host);
    const hit = diagnostics.find((d) => d.code === code && d.span.file === path && d.span.start === expected);
    t.truthy(
      hit,
      `expected ${code} at offset ${expected}; got ${JSON.stringify(diagnostics.map((d) => [d.code, d.span.file.split('/').pop(), d.span.start, d.message]))}`,
    );
    t.true(hit!.span.end >= hit!.span.start && hit!.span.end <= text.length);
    const otherErrors = diagnostics.filter((d) => d.severity === 'error' && d.code !== code && !also.has(d.code));
    t.deepEqual(
      otherErrors.map((d) => `${d.code} ${d.message}`),
      [],
    );
    if (hit!.severity === 'error') t.is(plans.length, 0, 'no plan is emitted when there is an error');
  });
}

test('every check code has a fixture file', (t) => {
  const covered = new Set(fixtures.map((f) => Number(f.slice(0, 4))));
  const missing = allMessages()
    .filter((m) => !notFromFixtures.has(m.code) && !covered.has(m.code))
    .map((m) => `${m.code} ${m.name}`);
  t.deepEqual(missing, []);
});

test('message codes are unique and numbered by stage', (t) => {
  const codes = allMessages().map((m) => m.code);
  t.is(new Set(codes).size, codes.length);
  for (const m of allMessages()) t.true(m.code >= 1000 && m.code < 6000, `${m.name} ${m.code}`);
});
