/** The lexer: token kinds and images, keywords versus identifiers, skipped trivia, literal checks. */
import test from 'ava';
import { tokenize } from '../../grammar/parse.ts';

const kinds = (text: string) => tokenize(text, 't.lpt').tokens.map((token) => token.tokenType.name);
const images = (text: string) => tokenize(text, 't.lpt').tokens.map((token) => token.image);
const codes = (text: string) => tokenize(text, 't.lpt').diagnostics.map((d) => d.code);

test('numbers keep unit suffixes as part of the token', (t) => {
  t.deepEqual(images('10 0.02 1e-6 2.5e3 1.1M 500k 3G 1.2%'), [
    '10',
    '0.02',
    '1e-6',
    '2.5e3',
    '1.1M',
    '500k',
    '3G',
    '1.2%',
  ]);
  t.deepEqual(new Set(kinds('10 0.02 1e-6 2.5e3 1.1M 500k 3G 1.2%')), new Set(['Number']));
  t.deepEqual(codes('10 1.1M 1.2%'), []);
});

test('a range lexes as Number DotDot Number, also with decimals', (t) => {
  t.deepEqual(kinds('4..6'), ['Number', 'DotDot', 'Number']);
  t.deepEqual(images('0.5..1.5'), ['0.5', '..', '1.5']);
  t.deepEqual(kinds('a.b'), ['Identifier', 'Dot', 'Identifier']);
});

test('two-character operators win over their one-character prefixes', (t) => {
  t.deepEqual(kinds('>= <= > < = .. .'), ['GreaterEqual', 'LessEqual', 'Greater', 'Less', 'Equals', 'DotDot', 'Dot']);
  t.deepEqual(kinds('<=1.1M'), ['LessEqual', 'Number']);
  t.deepEqual(kinds('{}()[],;:|+-*/'), [
    'LCurly',
    'RCurly',
    'LParen',
    'RParen',
    'LBracket',
    'RBracket',
    'Comma',
    'Semicolon',
    'Colon',
    'Pipe',
    'Plus',
    'Minus',
    'Star',
    'Slash',
  ]);
});

test('connectors are keywords only as whole words', (t) => {
  t.deepEqual(kinds('of after extends on'), ['Of', 'After', 'Extends', 'On']);
  t.deepEqual(kinds('often afterwards extends_x one ontology offset'), Array(6).fill('Identifier'));
  t.deepEqual(kinds('true false all none experiment'), Array(5).fill('Identifier'));
});

test('strings keep their escapes in the image and may hold comment markers', (t) => {
  t.deepEqual(images('"a \\"b\\" \\\\ \\n \\t" "// not a comment"'), [
    '"a \\"b\\" \\\\ \\n \\t"',
    '"// not a comment"',
  ]);
  t.deepEqual(kinds('"x"'), ['String']);
  t.deepEqual(codes('"a\\nb"'), []);
});

test('comments and whitespace are skipped, including newlines inside block comments', (t) => {
  t.deepEqual(images('a // line comment\n/* block\n comment */ b\r\n\tc'), ['a', 'b', 'c']);
  t.deepEqual(images('a/b'), ['a', '/', 'b']);
});

test('an unterminated string is one error spanning the rest of its line, and lexing goes on', (t) => {
  const text = 'a = "abc\nb = 1';
  const { tokens, diagnostics } = tokenize(text, 't.lpt');
  t.is(diagnostics.length, 1);
  t.like(diagnostics[0], { code: 1002, span: { file: 't.lpt', start: 4, end: 8 } });
  t.deepEqual(
    tokens.map((token) => token.image),
    ['a', '=', '"abc', 'b', '=', '1'],
  );
});

test('an unknown escape is reported at the backslash', (t) => {
  const text = 'x = "a\\qb"';
  const [d] = tokenize(text, 't.lpt').diagnostics;
  t.like(d, { code: 1003, span: { start: 6, end: 8 } });
  t.is(text.slice(d!.span.start, d!.span.end), '\\q');
});

test('a bad character is reported with its span and dropped', (t) => {
  const text = 'seed 0 # 1\nx @@ y';
  const { tokens, diagnostics } = tokenize(text, 't.lpt');
  t.deepEqual(
    diagnostics.map((d) => [d.code, text.slice(d.span.start, d.span.end)]),
    [
      [1001, '#'],
      [1001, '@@'],
    ],
  );
  t.deepEqual(
    tokens.map((token) => token.image),
    ['seed', '0', '1', 'x', 'y'],
  );
});

test('an unknown number unit is reported on the suffix', (t) => {
  const text = 'budget 10kb';
  const [d] = tokenize(text, 't.lpt').diagnostics;
  t.like(d, { code: 1004 });
  t.is(text.slice(d!.span.start, d!.span.end), 'kb');
  t.deepEqual(codes('x 1e'), [1004]);
});

test('an unterminated block comment is reported at its start and hides the rest', (t) => {
  const { tokens, diagnostics } = tokenize('a /* never closed\nb c', 't.lpt');
  t.deepEqual(
    tokens.map((token) => token.image),
    ['a'],
  );
  t.like(diagnostics[0], { code: 1005, span: { start: 2, end: 4 } });
});
