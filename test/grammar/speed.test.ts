/**
 * A large file: an 880-line file (about 12k tokens) parses cleanly into every statement. Its time
 * is logged, not asserted (speed is a benchmark's goal, not a test's: `npm run bench:compile`);
 * on a quiet machine it takes tens of milliseconds.
 */
import { readFileSync } from 'node:fs';
import test from 'ava';
import { parseFile } from '../../compiler/parse_file.ts';

const example = readFileSync(new URL('../fixtures/grammar/syntax-example.lpt', import.meta.url), 'utf8');

test('an 880-line file parses cleanly into all of its statements', (t) => {
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
});
