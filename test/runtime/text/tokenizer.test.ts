import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanText, clipTokenizer, contextLength } from '../../../runtime/text/tokenizer.ts';

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/clip_text/tokenizer.json'), 'utf8'),
) as {
  cases: { text: string; ids: number[] }[];
};

for (const [i, c] of fixture.cases.entries()) {
  test(`ids equal OpenAI's tokenizer on case ${i}: ${JSON.stringify(c.text.slice(0, 40))}`, (t) => {
    t.deepEqual(clipTokenizer().tokenize(c.text), c.ids);
  });
}

test('the vocabulary has CLIP size and the special ids', (t) => {
  const tok = clipTokenizer();
  t.is(tok.vocab.size, 49408);
  t.is(tok.startId, 49406);
  t.is(tok.endId, 49407);
});

test('a long text is cut to the context with the end token kept last', (t) => {
  const ids = clipTokenizer().tokenize('cat '.repeat(200));
  t.is(ids.length, contextLength);
  t.is(ids[0], 49406);
  t.is(ids[contextLength - 1], 49407);
  t.true(
    fixture.cases.some((c) => c.ids.length === contextLength),
    'the fixture holds a truncated case',
  );
});

test('clean-up collapses whitespace, decodes entities and lower-cases', (t) => {
  t.is(cleanText('  A\t\tB&amp;amp;C \n'), 'a b&c');
});
