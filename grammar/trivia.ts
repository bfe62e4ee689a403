/**
 * The lexer again, but keeping comments: the same token definitions as tokens.ts with the two
 * comment tokens moved from Lexer.SKIPPED into a `comments` group. The formatter needs comments to
 * keep them, the language server to skip them; the parser never sees them.
 */
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';
import * as t from './tokens.ts';

export const KeptLineComment = createToken({
  name: t.LineComment.name,
  pattern: t.LineComment.PATTERN,
  group: 'comments',
});
export const KeptBlockComment = createToken({
  name: t.BlockComment.name,
  pattern: t.BlockComment.PATTERN,
  group: 'comments',
});

const kept = new Map<TokenType, TokenType>([
  [t.LineComment, KeptLineComment],
  [t.BlockComment, KeptBlockComment],
]);
const triviaLexer = new Lexer(
  t.allTokens.map((token) => kept.get(token) ?? token),
  { positionTracking: 'onlyOffset' },
);

export interface TokensAndComments {
  /** The tokens the parser reads (as tokens.ts's lexer yields them). */
  readonly tokens: readonly IToken[];
  readonly comments: readonly IToken[];
}

/** Tokens and comments of `text`; lex errors are tokens.ts's business (grammar/parse.ts reports them). */
export function tokenizeWithComments(text: string): TokensAndComments {
  const lexed = triviaLexer.tokenize(text);
  return { tokens: lexed.tokens, comments: lexed.groups['comments'] ?? [] };
}
