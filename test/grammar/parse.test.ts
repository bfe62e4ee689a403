/**
 * Syntax errors: recovery (several errors in one pass, later statements still parsed), the codes
 * and spans of each kind of message, related notes, Error nodes in the AST, and the nesting guard.
 */
import test from 'ava';
import type { CstNode } from 'chevrotain';
import { lower } from '../../compiler/lower.ts';
import type { FileCstNode } from '../../grammar/cst.d.ts';
import { Identifier } from '../../grammar/tokens.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { parseFile } from '../../compiler/parse_file.ts';
import { MAX_NESTING, withoutRepeatedOffsets } from '../../grammar/parse.ts';

const at = (text: string, d: Diagnostic | undefined) =>
  d === undefined ? undefined : text.slice(d.span.start, d.span.end);

test('three separate errors give three diagnostics, and the statements after them still parse', (t) => {
  const text = [
    'phase one { loss agcl - ; epochs 10 }',
    'phase two { batch 64 ) ; epochs 5 }',
    'data { train = mnist(split: ) }',
    'evaluate test { metrics overall }',
  ].join('\n');
  const { ast, diagnostics } = parseFile('t.lpt', text);
  t.deepEqual(
    diagnostics.map((d) => d.code),
    [1106, 1107, 1106],
  );
  t.deepEqual(
    diagnostics.map((d) => at(text, d)),
    [';', ')', ')'],
  );
  t.like(ast.statements, [
    {
      kind: 'Block',
      body: [
        { kind: 'Property', values: [{ kind: 'Error' }] },
        { kind: 'Property', keyword: { name: 'epochs' } },
      ],
    },
    {
      kind: 'Block',
      body: [
        { kind: 'Property', keyword: { name: 'batch' } },
        { kind: 'Property', keyword: { name: 'epochs' } },
      ],
    },
    {
      kind: 'Block',
      body: [
        { kind: 'Assignment', value: { kind: 'Call', args: [{ name: { name: 'split' }, value: { kind: 'Error' } }] } },
      ],
    },
    { kind: 'Block', keyword: { name: 'evaluate' }, body: [{ kind: 'Property' }] },
  ]);
  t.is(ast.statements.length, 4);
});

test('a block left open at the end of the file names the block and where it opened', (t) => {
  const text = 'experiment a {\n  seed 0\n  phase one {\n    epochs 10\n';
  const { ast, diagnostics } = parseFile('t.lpt', text);
  t.is(diagnostics.length, 1);
  const [d] = diagnostics;
  t.like(d, { code: 1102, span: { start: text.indexOf('10') + 2, end: text.indexOf('10') + 2 } });
  t.regex(d!.message, /'phase one' opened at line 3/);
  t.like(d!.related, [{ span: { start: text.indexOf('{', text.indexOf('phase')) } }]);
  // The open blocks are kept, with their bodies, so later stages still see them.
  t.like(ast.statements, [
    { kind: 'Block', body: [{ kind: 'Property' }, { kind: 'Block', body: [{ kind: 'Property' }] }] },
  ]);
});

test('an unclosed bracket points at what came instead, with a note at the opener', (t) => {
  const text = 'data {\n  x = [1, 2\n  budget(trainable: <=1.1M\n}';
  const { diagnostics } = parseFile('t.lpt', text);
  t.deepEqual(
    diagnostics.map((d) => d.code),
    [1103, 1103],
  );
  t.deepEqual(
    diagnostics.map((d) => at(text, d)),
    ['budget', '}'],
  );
  t.regex(diagnostics[0]!.message, /'\]' to close the '\[' opened at line 2/);
  t.regex(diagnostics[1]!.message, /'\)' to close the '\(' opened at line 3/);
  t.is(at(text, { span: diagnostics[1]!.related![0]!.span } as Diagnostic), '(');
});

test('a closer with nothing to close is reported as such', (t) => {
  const text = 'seed 0 }\nepochs 3 )';
  const { ast, diagnostics } = parseFile('t.lpt', text);
  t.deepEqual(
    diagnostics.map((d) => [d.code, at(text, d)]),
    [
      [1107, '}'],
      [1107, ')'],
    ],
  );
  t.is(ast.statements.length, 2);
});

test('expected-token, expected-statement and reserved-word messages', (t) => {
  const cases: [string, number, string][] = [
    ['phase two after { }', 1101, '{'],
    ['42 = x', 1104, '42'],
    ['phase one { = 3 }', 1105, '='],
    ['x = ]', 1107, ']'],
    ['x = ,', 1106, ','],
    ['after = 3', 1109, 'after'],
    ['phase one { on 3 }', 1109, 'on'],
  ];
  for (const [text, code, found] of cases) {
    const { diagnostics } = parseFile('t.lpt', text);
    t.like(diagnostics[0], { code }, text);
    t.is(at(text, diagnostics[0]), found, text);
  }
});

test('messages are worded for people, with no placeholders or Chevrotain token dumps left', (t) => {
  const text = 'a = (1 +\nphase { x = f(a: 1 b) ]\n"s" 42 ; } } after';
  const { diagnostics } = parseFile('t.lpt', text);
  t.true(diagnostics.length >= 3);
  for (const d of diagnostics) {
    t.notRegex(d.message, /\{\d\}|-->|Expecting|token of type|\[\w+\]/, d.message);
    t.regex(d.message, /^[A-Z'].*\.$/, d.message);
  }
});

test('missing pieces become Error nodes with spans inside the text', (t) => {
  const text = 'x = \ny = 2';
  const { ast, diagnostics } = parseFile('t.lpt', text);
  // Layout-free: `x = y` reads on, and the stray `=` is the one error.
  t.is(diagnostics.length, 1);
  t.like(ast.statements[0], { kind: 'Assignment', value: { kind: 'NameRef' } });
  const cut = parseFile('t.lpt', 'prompt p =');
  t.like(cut.ast.statements[0], { kind: 'Declaration', value: { kind: 'Error', span: { start: 10, end: 10 } } });
  t.like(cut.diagnostics[0], { code: 1106, span: { start: 10, end: 10 } });
});

test('a value the parser recovered from becomes one Error node covering what was read', (t) => {
  const text = 'vary a. = 3\nseed 1';
  const { ast, diagnostics } = parseFile('t.lpt', text);
  t.deepEqual(
    diagnostics.map((d) => [d.code, at(text, d)]),
    [[1101, '=']],
  );
  t.like(ast.statements, [
    { kind: 'Property', keyword: { name: 'vary' }, values: [{ kind: 'Error', span: { start: 5, end: 7 } }] },
    { kind: 'Property', keyword: { name: 'seed' }, values: [{ kind: 'Number', value: 1 }] },
  ]);
});

test('lowering a tree with missing pieces yields Error nodes instead of throwing', (t) => {
  const node = (name: string, children: Record<string, unknown[]> = {}, recoveredNode = false) =>
    ({
      name,
      children,
      recoveredNode,
      location: { startOffset: Number.NaN, endOffset: Number.NaN },
    }) as unknown as CstNode;
  const tree = node('file', {
    statement: [
      node('statement', {}, true),
      node('statement', { declaration: [node('declaration', {}, true)] }, true),
      node('statement', { assignment: [node('assignment', { target: [node('nameRef', { parts: [] })] })] }),
      node('statement', {
        property: [
          node('property', {
            keyword: [{ image: 'seed', startOffset: 0, tokenType: Identifier }],
            values: [node('expression')],
          }),
        ],
      }),
    ],
  }) as FileCstNode;
  const ast = lower(tree, 'seed', 'f.lpt');
  t.like(ast.statements, [
    { kind: 'Error' },
    { kind: 'Error' },
    { kind: 'Error' },
    { kind: 'Property', values: [{ kind: 'Error', span: { start: 4, end: 4 } }] },
  ]);
});

test('nesting deeper than the limit is refused with one diagnostic instead of overflowing the stack', (t) => {
  for (const text of [
    `x = ${'('.repeat(20_000)}`,
    `x = ${'- '.repeat(20_000)}1`,
    `${'a {'.repeat(20_000)}`,
    `x = ${'[-('.repeat(5_000)}`,
  ]) {
    const { diagnostics } = parseFile('t.lpt', text);
    const deep = diagnostics.find((d) => d.code === 1006);
    t.truthy(deep, text.slice(0, 12));
    t.regex(deep!.message, new RegExp(String(MAX_NESTING)));
  }
  const fine = `x = ${'('.repeat(MAX_NESTING - 1)}1${')'.repeat(MAX_NESTING - 1)}`;
  t.deepEqual(parseFile('t.lpt', fine).diagnostics, []);
});

test('withoutRepeatedOffsets keeps the first diagnostic at each offset', (t) => {
  const d = (code: number, start: number): Diagnostic => ({
    code,
    severity: 'error',
    message: '',
    span: { file: 'f', start, end: start },
  });
  t.deepEqual(
    withoutRepeatedOffsets([d(1, 0), d(2, 0), d(3, 4), d(4, 4), d(5, 2)]).map((x) => x.code),
    [1, 3, 5],
  );
});

test('lex and parse diagnostics come back together, in source order', (t) => {
  const text = 'x = 10kb\ny = (1\nz = "open';
  const { diagnostics } = parseFile('t.lpt', text);
  t.deepEqual(
    diagnostics.map((d) => d.code),
    [1004, 1103, 1002],
  );
  const starts = diagnostics.map((d) => d.span.start);
  t.deepEqual(
    starts,
    [...starts].sort((a, b) => a - b),
  );
});
