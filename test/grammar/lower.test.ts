/**
 * Every statement and expression form through parseFile (tokenize -> parse -> lower): the AST
 * shape, and that each node's span slices exactly the source text it came from.
 */
import test from 'ava';
import type { Expression, Statement } from '../../compiler/ast.ts';
import { parseFile } from '../../compiler/parse_file.ts';

function statementsOf(text: string): {
  statements: readonly Statement[];
  slice: (node: { span: { start: number; end: number } }) => string;
} {
  const { ast, diagnostics } = parseFile('t.lpt', text);
  if (diagnostics.length > 0)
    throw new Error(`unexpected diagnostics: ${diagnostics.map((d) => d.message).join('; ')}`);
  return { statements: ast.statements, slice: (node) => text.slice(node.span.start, node.span.end) };
}

/** The value of `x = <source>`, with a slicer for its spans. */
function expressionOf(source: string): {
  value: Expression;
  slice: (node: { span: { start: number; end: number } }) => string;
} {
  const { statements, slice } = statementsOf(`x = ${source}`);
  const [assignment] = statements;
  if (assignment?.kind !== 'Assignment') throw new Error('expected an assignment');
  return { value: assignment.value, slice };
}

const name = (text: string) => ({
  kind: 'NameRef',
  parts: text.split('.').map((part) => ({ kind: 'Identifier', name: part })),
});

test('property: keyword with comma-separated values; an import is a property too', (t) => {
  const { statements, slice } = statementsOf('train shared, cls\nimport "presets/vit.lpt"\nseed 0\nverbose');
  t.like(statements[0], { kind: 'Property', keyword: { name: 'train' }, values: [name('shared'), name('cls')] });
  t.like(statements[1], {
    kind: 'Property',
    keyword: { name: 'import' },
    values: [{ kind: 'String', value: 'presets/vit.lpt' }],
  });
  t.like(statements[2], { kind: 'Property', values: [{ kind: 'Number', value: 0, raw: '0' }] });
  t.like(statements[3], { kind: 'Property', keyword: { name: 'verbose' }, values: [] });
  t.deepEqual(statements.map(slice), ['train shared, cls', 'import "presets/vit.lpt"', 'seed 0', 'verbose']);
  const train = statements[0];
  if (train?.kind !== 'Property') return t.fail();
  t.deepEqual(train.values.map(slice), ['shared', 'cls']);
});

test('call statement: a keyword followed by "(" is a Property holding one Call', (t) => {
  const { statements, slice } = statementsOf('budget(trainable: <=1.1M)');
  const [property] = statements;
  t.like(property, {
    kind: 'Property',
    keyword: { name: 'budget' },
    values: [
      {
        kind: 'Call',
        callee: name('budget'),
        args: [{ kind: 'Argument', name: { name: 'trainable' }, value: { kind: 'Comparison', op: '<=' } }],
      },
    ],
  });
  if (property?.kind !== 'Property') return t.fail();
  t.is(slice(property), 'budget(trainable: <=1.1M)');
  t.is(slice(property.values[0]!), 'budget(trainable: <=1.1M)');
});

test('declaration: keyword, name, value and optional on', (t) => {
  const { statements, slice } = statementsOf('prompt shared = deep(length: 10) on vit\nhead cls = cosine(scale: 20)');
  const [prompt, head] = statements;
  t.like(prompt, {
    kind: 'Declaration',
    keyword: { name: 'prompt' },
    name: name('shared'),
    value: { kind: 'Call', callee: name('deep') },
    on: name('vit'),
  });
  t.like(head, { kind: 'Declaration', keyword: { name: 'head' }, name: name('cls') });
  t.false(head !== undefined && 'on' in head && head.on !== undefined);
  t.deepEqual(statements.map(slice), ['prompt shared = deep(length: 10) on vit', 'head cls = cosine(scale: 20)']);
});

test('declaration with a dotted name', (t) => {
  const { statements, slice } = statementsOf('vary group.top = [1, 2, 3]');
  const [vary] = statements;
  t.like(vary, { kind: 'Declaration', keyword: { name: 'vary' }, name: name('group.top'), value: { kind: 'List' } });
  if (vary?.kind !== 'Declaration') return t.fail();
  t.is(slice(vary.name), 'group.top');
  t.deepEqual(vary.name.parts.map(slice), ['group', 'top']);
  t.is(slice(vary.value), '[1, 2, 3]');
});

test('assignment, plain and dotted, with a pipe', (t) => {
  const { statements, slice } = statementsOf('train = mnist(split: train) | longtail(ratio: 100)\ngroup.top = 3');
  t.like(statements[0], {
    kind: 'Assignment',
    target: name('train'),
    value: { kind: 'Pipe', stages: [{ kind: 'Call' }, { kind: 'Call' }] },
  });
  t.like(statements[1], { kind: 'Assignment', target: name('group.top'), value: { kind: 'Number', value: 3 } });
  t.deepEqual(statements.map(slice), ['train = mnist(split: train) | longtail(ratio: 100)', 'group.top = 3']);
});

test('blocks: bare, named, string-named, with links and nested bodies', (t) => {
  const text =
    'data { x = 1 }\nphase two after one, zero { epochs 10; batch 64 }\nvariant "VPT" { drop two }\nablation a of b extends c { }';
  const { statements, slice } = statementsOf(text);
  t.like(statements[0], { kind: 'Block', keyword: { name: 'data' }, links: [], body: [{ kind: 'Assignment' }] });
  t.false(statements[0] !== undefined && 'name' in statements[0] && statements[0].name !== undefined);
  t.like(statements[1], {
    kind: 'Block',
    name: { kind: 'Identifier', name: 'two' },
    links: [{ kind: 'Link', connector: { name: 'after' }, targets: [name('one'), name('zero')] }],
    body: [
      { kind: 'Property', keyword: { name: 'epochs' } },
      { kind: 'Property', keyword: { name: 'batch' } },
    ],
  });
  t.like(statements[2], { kind: 'Block', name: { kind: 'String', value: 'VPT' } });
  t.like(statements[3], { links: [{ connector: { name: 'of' } }, { connector: { name: 'extends' } }], body: [] });
  t.deepEqual(statements.map(slice), text.split('\n'));
  const phase = statements[1];
  if (phase?.kind !== 'Block') return t.fail();
  t.is(phase.links.length, 1);
  t.is(slice(phase.links[0]!), 'after one, zero');
  t.deepEqual(phase.links[0]!.targets.map(slice), ['one', 'zero']);
  t.deepEqual(phase.body.map(slice), ['epochs 10', 'batch 64']);
});

test('semicolons are optional, stray ones are empty statements, and none is in a span', (t) => {
  const { statements, slice } = statementsOf(';a 1; b 2\nc 3;;\nd { ; e 4; }');
  t.deepEqual(
    statements.map((s) => (s.kind === 'Property' || s.kind === 'Block' ? s.keyword.name : s.kind)),
    ['a', 'b', 'c', 'd'],
  );
  t.deepEqual(statements.map(slice), ['a 1', 'b 2', 'c 3', 'd { ; e 4; }']);
});

test('precedence: * binds tighter than -, and both are left-associative', (t) => {
  const { value, slice } = expressionOf('agcl - 0.5 * matching');
  t.like(value, {
    kind: 'Binary',
    op: '-',
    left: name('agcl'),
    right: { kind: 'Binary', op: '*', left: { value: 0.5 }, right: name('matching') },
  });
  if (value.kind !== 'Binary') return t.fail();
  t.is(slice(value), 'agcl - 0.5 * matching');
  t.is(slice(value.right), '0.5 * matching');
  t.like(expressionOf('a - b - c').value, {
    op: '-',
    left: { op: '-', left: name('a'), right: name('b') },
    right: name('c'),
  });
  t.like(expressionOf('a / b * c').value, { op: '*', left: { op: '/' } });
});

test('pipes bind loosest: each stage is a whole arithmetic expression', (t) => {
  const { value, slice } = expressionOf('a + b | c * 2 | d');
  t.like(value, { kind: 'Pipe', stages: [{ kind: 'Binary', op: '+' }, { kind: 'Binary', op: '*' }, name('d')] });
  if (value.kind !== 'Pipe') return t.fail();
  t.deepEqual(value.stages.map(slice), ['a + b', 'c * 2', 'd']);
});

test('parentheses regroup, and the grouped node spans its parentheses', (t) => {
  const { value, slice } = expressionOf('(a - b) * c');
  t.like(value, { op: '*', left: { kind: 'Binary', op: '-' }, right: name('c') });
  if (value.kind !== 'Binary') return t.fail();
  t.is(slice(value.left), '(a - b)');
  t.is(slice(value), '(a - b) * c');
});

test('unary minus, comparisons and ranges', (t) => {
  const negative = expressionOf('-0.5 * x');
  t.like(negative.value, {
    kind: 'Binary',
    op: '*',
    left: { kind: 'Unary', op: '-', operand: { kind: 'Number', value: 0.5 } },
  });
  const comparisons = expressionOf('f(many: >100, few: <20, a: >=1, b: <=1.1M)');
  if (comparisons.value.kind !== 'Call') return t.fail();
  t.like(comparisons.value.args[0], { value: { kind: 'Comparison', op: '>', value: { kind: 'Number', value: 100 } } });
  t.like(comparisons.value.args[3], {
    value: { kind: 'Comparison', op: '<=', value: { value: 1_100_000, unit: 'M', raw: '1.1M' } },
  });
  t.deepEqual(
    comparisons.value.args.map((arg) => comparisons.slice(arg.value)),
    ['>100', '<20', '>=1', '<=1.1M'],
  );
  const range = expressionOf('4..6');
  t.like(range.value, { kind: 'Range', from: { value: 4 }, to: { value: 6 } });
  t.is(range.slice(range.value), '4..6');
});

test('calls: dotted callee, named and positional arguments, trailing comma', (t) => {
  const { value, slice } = expressionOf('presets.vit(28, patch: 7, weights: "w.safetensors",)');
  t.like(value, {
    kind: 'Call',
    callee: name('presets.vit'),
    args: [
      { value: { value: 28 } },
      { name: { name: 'patch' }, value: { value: 7 } },
      { name: { name: 'weights' }, value: { kind: 'String' } },
    ],
  });
  if (value.kind !== 'Call') return t.fail();
  t.is(value.args.length, 3);
  t.false('name' in value.args[0]! && value.args[0]!.name !== undefined);
  t.deepEqual(value.args.map(slice), ['28', 'patch: 7', 'weights: "w.safetensors"']);
  t.is(slice(value.callee), 'presets.vit');
  t.like(expressionOf('f()').value, { kind: 'Call', args: [] });
});

test('lists: empty, nested, trailing comma', (t) => {
  t.like(expressionOf('[]').value, { kind: 'List', items: [] });
  const { value, slice } = expressionOf('[[1, 2], "a", b.c,]');
  t.like(value, { kind: 'List', items: [{ kind: 'List' }, { kind: 'String', value: 'a' }, name('b.c')] });
  if (value.kind !== 'List') return t.fail();
  t.deepEqual(value.items.map(slice), ['[1, 2]', '"a"', 'b.c']);
});

test('string values are unescaped; number values carry units', (t) => {
  t.like(expressionOf('"say \\"hi\\"\\n"').value, { kind: 'String', value: 'say "hi"\n' });
  t.like(expressionOf('500k').value, { kind: 'Number', value: 500_000, unit: 'k', raw: '500k' });
  t.like(expressionOf('2%').value, { kind: 'Number', value: 2, unit: '%' });
});

test('the source file node spans the whole text and records the path', (t) => {
  const text = '// nothing but a comment\n';
  const { ast, diagnostics } = parseFile('dir/empty.lpt', text);
  t.deepEqual(diagnostics, []);
  t.deepEqual(ast, {
    kind: 'SourceFile',
    path: 'dir/empty.lpt',
    text,
    statements: [],
    span: { file: 'dir/empty.lpt', start: 0, end: text.length },
  });
});
