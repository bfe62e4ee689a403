/** Bracket bookkeeping: which brackets are open before a token, and the nesting guard. */
import test from 'ava';
import { firstTooDeep, OpenBrackets } from '../../grammar/brackets.ts';
import { tokenize } from '../../grammar/parse.ts';

const tokensOf = (text: string) => tokenize(text, 't.lpt').tokens;

test('open brackets before each token, with closers popping back to their opener', (t) => {
  const tokens = tokensOf('a { f( [ 1 ] } ) b');
  const open = new OpenBrackets(tokens);
  const images = (index: number) => open.before(index).map((token) => token.image);
  t.deepEqual(images(2), ['{']);
  t.deepEqual(images(5), ['{', '(', '[']);
  t.deepEqual(images(7), ['{', '(']);
  // `}` closes both the `{` and the `(` opened inside it; the stray `)` then changes nothing.
  t.deepEqual(images(8), []);
  t.deepEqual(images(tokens.length), []);
  // Asking about an earlier token again restarts the sweep.
  t.deepEqual(images(4), ['{', '(']);
});

test('nesting counts brackets and chains of prefix minus signs', (t) => {
  t.is(firstTooDeep(tokensOf('x = ((1))'), 2), -1);
  t.is(firstTooDeep(tokensOf('x = (((1)))'), 2), 4);
  t.is(firstTooDeep(tokensOf('x = - - - 1'), 2), 4);
  t.is(firstTooDeep(tokensOf('x = -(-(1))'), 3), 5);
  // Siblings do not add up: depth returns to the enclosing bracket after each closer or operand.
  t.is(firstTooDeep(tokensOf('x = [(1), (2), -3, - -4]'), 3), -1);
});
