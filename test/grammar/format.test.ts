/** Printing diagnostics: header line, source excerpt, caret line, related notes; line/column maths. */
import test from 'ava';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { formatDiagnostic, lineAndColumn } from '../../diagnostics/format.ts';
import { parseFile } from '../../compiler/parse_file.ts';

function error(start: number, end: number, extra: Partial<Diagnostic> = {}): Diagnostic {
  return {
    code: 1106,
    severity: 'error',
    message: 'Something is wrong.',
    span: { file: 'a.lpt', start, end },
    ...extra,
  };
}

test('lineAndColumn is 1-based and counts from the last newline', (t) => {
  const text = 'ab\ncd\r\nef';
  t.deepEqual(lineAndColumn(text, 0), { line: 1, column: 1 });
  t.deepEqual(lineAndColumn(text, 2), { line: 1, column: 3 });
  t.deepEqual(lineAndColumn(text, 3), { line: 2, column: 1 });
  t.deepEqual(lineAndColumn(text, 8), { line: 3, column: 2 });
  t.deepEqual(lineAndColumn(text, text.length), { line: 3, column: 3 });
  t.deepEqual(lineAndColumn(text, 999), { line: 3, column: 3 });
  t.deepEqual(lineAndColumn(text, -5), { line: 1, column: 1 });
  t.deepEqual(lineAndColumn('', 0), { line: 1, column: 1 });
});

test('header, excerpt and a caret under a one-character span', (t) => {
  const text = 'experiment a {\n  seed = }\n}';
  const at = text.indexOf('}');
  t.is(
    formatDiagnostic(error(at, at + 1), text),
    ['a.lpt:2:10: error: Something is wrong. [LPT1106]', '  2 |   seed = }', '    |          ^'].join('\n'),
  );
});

test('carets cover a multi-character span; the gutter widens for long line numbers', (t) => {
  const text = `${'\n'.repeat(11)}backbone vit = vitt(image: 28)`;
  const at = text.indexOf('vitt');
  t.is(
    formatDiagnostic(error(at, at + 4, { severity: 'warning', code: 2001 }), text),
    [
      'a.lpt:12:16: warning: Something is wrong. [LPT2001]',
      '  12 | backbone vit = vitt(image: 28)',
      '     |                ^^^^',
    ].join('\n'),
  );
});

test('a span across lines is underlined to the end of its first line', (t) => {
  const text = 'phase one {\n  seed 0\n}';
  t.is(formatDiagnostic(error(6, text.length), text).split('\n')[2], '    |       ^^^^^');
});

test('an empty span still gets one caret, also at the end of the file and in an empty file', (t) => {
  const text = 'seed 0\n';
  t.is(
    formatDiagnostic(error(6, 6), text),
    ['a.lpt:1:7: error: Something is wrong. [LPT1106]', '  1 | seed 0', '    |       ^'].join('\n'),
  );
  t.is(
    formatDiagnostic(error(7, 7), text),
    ['a.lpt:2:1: error: Something is wrong. [LPT1106]', '  2 |', '    | ^'].join('\n'),
  );
  t.is(
    formatDiagnostic(error(0, 0), ''),
    ['a.lpt:1:1: error: Something is wrong. [LPT1106]', '  1 |', '    | ^'].join('\n'),
  );
});

test('tabs are kept in the caret padding so the caret lines up', (t) => {
  const text = '\tseed\t= }';
  const at = text.indexOf('}');
  const [, source, carets] = formatDiagnostic(error(at, at + 1), text).split('\n');
  t.is(source, '  1 | \tseed\t= }');
  t.is(carets, '    | \t    \t  ^');
  t.is(carets!.length, source!.length);
});

test('Windows line endings do not leak into the excerpt', (t) => {
  const text = 'seed 0\r\nx = }\r\n';
  const at = text.indexOf('}');
  t.is(formatDiagnostic(error(at, at + 1), text).split('\n')[1], '  2 | x = }');
});

test('related notes print as file:line:col: note, using sourceOf for other files', (t) => {
  const text = 'head cls = cosine()\nhead cls = linear()';
  const second = text.lastIndexOf('cls');
  const d = error(second, second + 3, {
    related: [
      { message: 'first declared here', span: { file: 'a.lpt', start: 5, end: 8 } },
      { message: 'imported from here', span: { file: 'b.lpt', start: 4, end: 5 } },
    ],
  });
  const lines = formatDiagnostic(d, text, (file) => (file === 'b.lpt' ? 'x\ny\nz' : undefined)).split('\n');
  t.deepEqual(lines.slice(3), ['a.lpt:1:6: note: first declared here', 'b.lpt:3:1: note: imported from here']);
  t.is(formatDiagnostic(d, text).split('\n')[4], 'b.lpt: note: imported from here');
});

test('a real parse error formats with its note', (t) => {
  const text = 'experiment a {\n  phase one {\n    epochs 10\n';
  const { diagnostics } = parseFile('x.lpt', text);
  t.is(
    formatDiagnostic(diagnostics[0]!, text),
    [
      "x.lpt:3:14: error: Expected '}' to close the block 'phase one' opened at line 2, but found the end of the file. [LPT1102]",
      '  3 |     epochs 10',
      '    |              ^',
      "x.lpt:2:13: note: the block 'phase one' opens here",
    ].join('\n'),
  );
});
