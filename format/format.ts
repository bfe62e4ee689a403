/**
 * `formatSource`: the canonical layout of an `.lpt` file (see print.ts for the rules). Only
 * whitespace changes: the tokens and comments of the result are those of the input, in the same
 * order, which is checked before the result is returned, so formatting cannot change a plan.
 * A file that does not lex and parse cleanly is not formatted; its diagnostics are returned.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { parse, tokenize } from '../grammar/parse.ts';
import { tokenizeWithComments } from '../grammar/trivia.ts';
import { layoutOf } from './layout.ts';
import { print } from './print.ts';

export type FormatResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function formatSource(text: string, file: string): FormatResult {
  const lexed = tokenize(text, file);
  const parsed = parse(lexed.tokens, text, file);
  const diagnostics = [...lexed.diagnostics, ...parsed.diagnostics];
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const { comments } = tokenizeWithComments(text);
  const formatted = print(text, lexed.tokens, comments, layoutOf(parsed.cst, text, lexed.tokens));
  assertSameTokens(text, formatted);
  return { ok: true, text: formatted };
}

/** A broken formatter must fail loudly rather than change a file's meaning. */
function assertSameTokens(before: string, after: string): void {
  const a = signature(before);
  const b = signature(after);
  if (a.length !== b.length || a.some((s, i) => s !== b[i])) {
    const at = a.findIndex((s, i) => s !== b[i]);
    throw new Error(
      `the formatter changed the tokens of the file (first difference: ${a[at] ?? 'end'} became ${b[at] ?? 'end'})`,
    );
  }
}

function signature(text: string): string[] {
  const { tokens, comments } = tokenizeWithComments(text);
  return [...tokens, ...comments]
    .sort((x, y) => x.startOffset - y.startOffset)
    .map((token) => `${token.tokenType.name}:${token.image.replace(/[ \t\r]+$/gm, '')}`);
}
