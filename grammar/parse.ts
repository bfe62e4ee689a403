/**
 * The lex and parse stages: `tokenize` (text -> tokens) and `parse` (tokens -> CST). This is the
 * one place where Chevrotain's ILexingError and IRecognitionException become our Diagnostic
 * (codes 1xxx, worded in diagnostics/messages.ts). Neither stage throws on bad input; both return what they
 * could read plus every problem found, at most one per source offset.
 */
import {
  EOF,
  tokenLabel,
  tokenMatcher,
  type CstNode,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Span } from '../diagnostics/span.ts';
import { lineAndColumn } from '../diagnostics/format.ts';
import { firstTooDeep, innermostOpen, OpenBrackets } from './brackets.ts';
import type { FileCstNode } from './cst.d.ts';
import { readNumber, readString } from './literals.ts';
import { diagnostic } from '../diagnostics/diagnose.ts';
import { formatMessage, Messages, Notes } from '../diagnostics/messages.ts';
import { parser } from './parser.ts';
import { decodeProblem, type ParseProblem } from './problems.ts';
import * as t from './tokens.ts';

/** Deeper nesting than this is refused before parsing, so no tree walk can overflow the stack. */
export const MAX_NESTING = 100;

export interface Tokenized {
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
}

export interface Parsed {
  readonly cst: FileCstNode;
  readonly diagnostics: Diagnostic[];
}

export function tokenize(text: string, file: string): Tokenized {
  const lexed = t.lexer.tokenize(text);
  const diagnostics: Diagnostic[] = lexed.errors.map((error) =>
    diagnostic(Messages.UnexpectedCharacter, { file, start: error.offset, end: error.offset + error.length }, [
      showCharacter(text, error.offset),
    ]),
  );
  for (const comment of lexed.groups['problems'] ?? []) {
    diagnostics.push(
      diagnostic(Messages.UnterminatedComment, { file, start: comment.startOffset, end: comment.startOffset + 2 }),
    );
  }
  for (const token of lexed.tokens) {
    const found = literalDiagnostics(token, file);
    if (found.length > 0) diagnostics.push(...found);
  }
  return { tokens: lexed.tokens, diagnostics: withoutRepeatedOffsets(diagnostics) };
}

export function parse(tokens: readonly IToken[], text: string, file: string): Parsed {
  const diagnostics: Diagnostic[] = [];
  const tooDeep = firstTooDeep(tokens, MAX_NESTING);
  const input = tooDeep >= 0 ? tokens.slice(0, tooDeep) : [...tokens];
  if (tooDeep >= 0) {
    diagnostics.push(diagnostic(Messages.NestingTooDeep, tokenSpan(tokens[tooDeep]!, file), [String(MAX_NESTING)]));
  }
  parser.input = input;
  const cst = parser.file() as FileCstNode;
  const context: ErrorContext = { tokens: input, text, file, cst, brackets: new OpenBrackets(input) };
  // In source order, so the bracket sweep only moves forward.
  const errors = parser.errors.sort((a, b) => offsetOf(a.token, text) - offsetOf(b.token, text));
  for (const error of errors) diagnostics.push(syntaxDiagnostic(error, context));
  return { cst, diagnostics: withoutRepeatedOffsets(diagnostics) };
}

/** Keeps the first diagnostic at each start offset (TypeScript's parseErrorAtPosition rule). */
export function withoutRepeatedOffsets(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<number>();
  return diagnostics.filter((d) => {
    if (seen.has(d.span.start)) return false;
    seen.add(d.span.start);
    return true;
  });
}

function literalDiagnostics(token: IToken, file: string): Diagnostic[] {
  const isString = tokenMatcher(token, t.StringLiteral);
  if (!isString && !tokenMatcher(token, t.NumberLiteral)) return [];
  const found: Diagnostic[] = [];
  const start = token.startOffset;
  const end = start + token.image.length;
  if (isString) {
    const read = readString(token.image);
    if (!read.terminated) found.push(diagnostic(Messages.UnterminatedString, { file, start, end }));
    for (const offset of read.badEscapes) {
      const span = { file, start: start + offset, end: start + offset + 2 };
      found.push(diagnostic(Messages.UnknownEscape, span, [token.image.charAt(offset + 1)]));
    }
    return found;
  }
  const read = readNumber(token.image);
  if (read.badSuffix !== '') {
    const span = { file, start: start + read.digits.length, end };
    found.push(diagnostic(Messages.UnknownNumberUnit, span, [read.badSuffix, read.digits]));
  }
  return found;
}

interface ErrorContext {
  readonly tokens: readonly IToken[];
  readonly text: string;
  readonly file: string;
  readonly cst: FileCstNode;
  readonly brackets: OpenBrackets;
}

const valueRules = new Set(['expression', 'additive', 'multiplicative', 'unary', 'comparison', 'postfix', 'primary']);

function syntaxDiagnostic(error: IRecognitionException, context: ErrorContext): Diagnostic {
  const { tokens, file } = context;
  const problem = decodeProblem(error.message);
  const foundToken = error.token;
  const atEnd = isEnd(foundToken);
  const index = atEnd ? tokens.length : tokenIndex(tokens, foundToken);
  const span = atEnd ? endSpan(tokens, file) : tokenSpan(foundToken, file);
  const found = describeFound(foundToken);
  const open = context.brackets.before(index);

  // A closer with nothing to close explains itself best, whatever the parser was expecting.
  const closedOpener = atEnd ? undefined : t.closerToOpener.get(foundToken.tokenType);
  if (closedOpener !== undefined && innermostOpen(open, closedOpener) === undefined) {
    return diagnostic(Messages.UnmatchedCloser, span, [foundToken.image, bare(closedOpener)]);
  }
  // A connector where a name, value or statement belongs: say it is reserved, not just unexpected.
  if (!atEnd && isConnector(foundToken) && wantsNameHere(problem)) {
    return diagnostic(Messages.ReservedWord, span, [foundToken.image]);
  }
  switch (problem.kind) {
    case 'expected': {
      if (problem.expected === t.RCurly.name && !atEnd)
        return diagnostic(Messages.ExpectedStatementOrClose, span, [found]);
      const expectedType = tokenTypeNamed(problem.expected);
      const openerType = expectedType && t.closerToOpener.get(expectedType);
      const opener = openerType && innermostOpen(open, openerType);
      // Right after the opener, what is missing is the first value rather than the closer.
      if (opener !== undefined && opener === tokens[index - 1])
        return diagnostic(Messages.ExpectedValue, span, [found]);
      if (expectedType && opener) return unclosedDiagnostic(expectedType, opener, span, found, context);
      if (problem.expected === 'EOF') return diagnostic(Messages.ExpectedStatement, span, [found]);
      return diagnostic(Messages.ExpectedToken, span, [describeExpected(problem.expected), found]);
    }
    case 'noAlternative':
      return valueRules.has(problem.rule)
        ? diagnostic(Messages.ExpectedValue, span, [found])
        : diagnostic(Messages.UnexpectedToken, span, [found]);
    case 'redundant':
      return diagnostic(Messages.ExpectedStatement, span, [found]);
  }
}

function isConnector(token: IToken): boolean {
  return [t.Of, t.After, t.Extends, t.On].some((keyword) => tokenMatcher(token, keyword));
}

function wantsNameHere(problem: ParseProblem): boolean {
  if (problem.kind !== 'expected') return true;
  return [t.Identifier.name, t.RCurly.name, EOF.name].includes(problem.expected);
}

function unclosedDiagnostic(
  closer: TokenType,
  opener: IToken,
  span: Span,
  found: string,
  { text, file, cst }: ErrorContext,
): Diagnostic {
  const openerSpan = tokenSpan(opener, file);
  const line = String(lineAndColumn(text, opener.startOffset).line);
  const block = closer === t.RCurly ? blockTitle(cst, opener) : undefined;
  if (block !== undefined) {
    return diagnostic(
      Messages.UnclosedBlock,
      span,
      [block, line, found],
      [{ message: formatMessage(Notes.BlockOpensHere, [block]), span: openerSpan }],
    );
  }
  return diagnostic(
    Messages.UnclosedBracket,
    span,
    [bare(closer), opener.image, line, found],
    [{ message: formatMessage(Notes.BracketOpensHere, [opener.image]), span: openerSpan }],
  );
}

/** `phase one`, `variant "VPT"`, `data`: the head of the block whose body `opener` starts. */
function blockTitle(node: CstNode, opener: IToken): string | undefined {
  const children = node.children;
  if (node.name === 'block' && children['LCurly']?.[0] === opener) {
    return [children['keyword']?.[0], children['name']?.[0]]
      .filter((part): part is IToken => part !== undefined && 'image' in part)
      .map((part) => part.image)
      .join(' ');
  }
  for (const group of Object.values(children)) {
    for (const child of group) {
      if ('children' in child) {
        const title = blockTitle(child, opener);
        if (title !== undefined) return title;
      }
    }
  }
  return undefined;
}

function describeFound(token: IToken): string {
  if (isEnd(token)) return 'the end of the file';
  const image = token.image.length > 24 ? `${token.image.slice(0, 24)}…` : token.image;
  return tokenMatcher(token, t.StringLiteral) ? `the string ${image}` : `'${image}'`;
}

function describeExpected(tokenName: string): string {
  if (tokenName === EOF.name) return 'the end of the file';
  const type = tokenTypeNamed(tokenName);
  return type === undefined ? tokenName : tokenLabel(type);
}

function tokenTypeNamed(name: string): TokenType | undefined {
  return t.allTokens.find((candidate) => candidate.name === name);
}

/** The punctuation a token type stands for, without the quotes of its label: `}` for RCurly. */
function bare(type: TokenType): string {
  return tokenLabel(type).replace(/'/g, '');
}

function showCharacter(text: string, offset: number): string {
  const char = String.fromCodePoint(text.codePointAt(offset) ?? 0);
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char)
    ? char
    : `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

function isEnd(token: IToken): boolean {
  return token.tokenType === EOF || Number.isNaN(token.startOffset);
}

function tokenSpan(token: IToken, file: string): Span {
  return { file, start: token.startOffset, end: token.startOffset + token.image.length };
}

/** Problems at the end of input point just after the last token, where the missing text goes. */
function endSpan(tokens: readonly IToken[], file: string): Span {
  const last = tokens[tokens.length - 1];
  const offset = last === undefined ? 0 : last.startOffset + last.image.length;
  return { file, start: offset, end: offset };
}

/** Where a token starts; the end of input sorts last. */
function offsetOf(token: IToken, text: string): number {
  return isEnd(token) ? text.length + 1 : token.startOffset;
}

function tokenIndex(tokens: readonly IToken[], token: IToken): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (tokens[mid]!.startOffset < token.startOffset) low = mid + 1;
    else high = mid;
  }
  return low;
}
