/** The name (identifier) under or just before the cursor, from the lexer. */
import { Identifier } from '../grammar/tokens.ts';
import { tokenizeWithComments } from '../grammar/trivia.ts';
import type { Span } from '../diagnostics/span.ts';

export interface Word {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

export function wordAt(text: string, offset: number): Word | undefined {
  const token = tokenizeWithComments(text).tokens.find(
    (t) => t.startOffset <= offset && offset <= t.startOffset + t.image.length && t.tokenType === Identifier,
  );
  return token
    ? { name: token.image, start: token.startOffset, end: token.startOffset + token.image.length }
    : undefined;
}

/** The string literal under the cursor (for `import "..."`). */
export function stringAt(text: string, offset: number): Span | undefined {
  const token = tokenizeWithComments(text).tokens.find(
    (t) => t.startOffset <= offset && offset < t.startOffset + t.image.length && t.image.startsWith('"'),
  );
  return token ? { file: '', start: token.startOffset, end: token.startOffset + token.image.length } : undefined;
}
