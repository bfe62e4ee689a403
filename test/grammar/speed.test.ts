/**
 * A guard against accidentally quadratic front-end work: an 880-line file (about 12k tokens) must
 * parse in well under two seconds. On a quiet machine it takes tens of milliseconds; the bound is
 * loose because this test shares two cores with the whole suite. Anything quadratic in the token
 * count would take far longer.
 */
import { readFileSync } from 'node:fs';
import test from 'ava';
import { parseFile } from '../../compiler/parseFile.ts';

const example = readFileSync(new URL('../fixtures/grammar/syntax-example.lpt', import.meta.url), 'utf8');

test('an 880-line file parses in well under two seconds', (t) => {
  const text = example.repeat(40);
  parseFile('warm-up.lpt', example);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const { ast, diagnostics } = parseFile('speed.lpt', text);
    best = Math.min(best, performance.now() - start);
    t.is(diagnostics.length, 0);
    t.is(ast.statements.length, 3 * 40);
  }
  t.log(`${text.split('\n').length - 1} lines: best of 3 ${best.toFixed(1)} ms`);
  t.true(best < 2000, `${best.toFixed(1)} ms`);
});
