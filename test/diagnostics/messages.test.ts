/** The one message catalogue: placeholders are filled, and a missing argument is a caller's bug. */
import test from 'ava';
import { diagnostic } from '../../diagnostics/diagnose.ts';
import { allMessages, formatMessage, InternalError, Messages, Notes } from '../../diagnostics/messages.ts';

test('formatMessage fills every placeholder, including repeated ones', (t) => {
  t.is(formatMessage(Messages.UnknownNumberUnit, ['q', '3']), "Unknown unit 'q' after the number 3; use k, M, G or %.");
  t.is(
    formatMessage(Messages.LayersOutOfDepth, [13, 'vit', 12]),
    "Layer 13 is outside the backbone 'vit' (depth 12: layers 1..12).",
  );
  t.is(formatMessage(Notes.BracketOpensHere, ['(']), "the '(' opens here");
});

test('an empty argument is allowed, a missing one is an internal error (grammar and compiler alike)', (t) => {
  t.is(formatMessage(Messages.UnknownName, ['module', 'x', '']), "Unknown module 'x'.");
  const checkError = t.throws(() => formatMessage(Messages.UnknownName, ['module', 'x']), {
    instanceOf: InternalError,
  });
  t.regex(checkError.message, /\{2\}/);
  t.throws(() => diagnostic(Messages.UnexpectedCharacter, { file: 'f', start: 0, end: 1 }), {
    instanceOf: InternalError,
  });
  t.throws(() => formatMessage(Notes.BlockOpensHere, []), { instanceOf: InternalError });
});

test('lex, parse and check messages live in one catalogue with unique codes', (t) => {
  const codes = allMessages().map((m) => m.code);
  t.true(codes.includes(1001) && codes.includes(1109) && codes.includes(2001));
  t.is(new Set(codes).size, codes.length);
});
