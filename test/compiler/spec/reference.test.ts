/** docs/LANGUAGE.md documents the whole spec: its generated tables are current and name everything. */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { allMessages } from '../../../diagnostics/messages.ts';
import { callSpecs } from '../../../compiler/spec/index.ts';
import { keywordSpecs } from '../../../compiler/spec/keywords.ts';
import { generatedBegin, generatedEnd, renderReference } from '../../../compiler/spec/reference.ts';

const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/LANGUAGE.md'), 'utf8');

test('the generated tables are current (run scripts/gen_language_tables.ts)', (t) => {
  const region = doc.slice(doc.indexOf(generatedBegin), doc.indexOf(generatedEnd) + generatedEnd.length);
  t.is(region, renderReference());
});

test('every call and every argument of the spec appears in the doc', (t) => {
  for (const spec of callSpecs) {
    const section = doc.slice(doc.indexOf(`#### \`${spec.name}\` (`));
    t.true(doc.includes(`#### \`${spec.name}\` (`), spec.name);
    for (const arg of spec.args) t.true(section.includes(`| \`${arg.name}\` |`), `${spec.name}.${arg.name}`);
  }
});

test('every keyword and every diagnostic code appears in the doc', (t) => {
  for (const k of keywordSpecs) t.true(doc.includes(`| \`${k.name}\` |`), k.name);
  for (const m of allMessages()) t.true(doc.includes(`| ${m.code} |`), String(m.code));
});

test('the doc has the grammar and links the syntax diagrams', (t) => {
  t.true(doc.includes('declaration : Identifier nameRef "=" expression ("on" nameRef)?'));
  t.true(doc.includes('](diagrams/grammar.html)'));
});
