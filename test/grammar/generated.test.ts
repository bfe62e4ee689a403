/**
 * The committed files generated from the grammar must match what the grammar generates now:
 * run `npm run gen:cst` and `npm run gen:diagrams` after changing grammar/parser.ts.
 */
import { readFileSync } from 'node:fs';
import test from 'ava';
import { cstDtsSource, diagramsHtml } from '../../grammar/generated.ts';

const committed = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('grammar/cst.d.ts is up to date (npm run gen:cst)', (t) => {
  t.is(committed('grammar/cst.d.ts'), cstDtsSource());
});

test('docs/diagrams/grammar.html is up to date (npm run gen:diagrams)', (t) => {
  const html = committed('docs/diagrams/grammar.html');
  t.is(html, diagramsHtml());
  for (const rule of ['file', 'statement', 'block', 'declaration', 'property', 'expression', 'nameRef']) {
    t.true(html.includes(`"name": "${rule}"`) || html.includes(`"name":"${rule}"`), rule);
  }
});
