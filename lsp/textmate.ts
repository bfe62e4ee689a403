/**
 * The TextMate grammar of `.lpt` (syntax colouring in VS Code and other editors), generated from
 * the lexer's token definitions (grammar/tokens.ts: comments, strings, numbers, connectors, punctuation)
 * and the spec's tables (statement keywords, call names), so colours follow the language.
 * scripts/gen_textmate.ts writes it to editors/vscode/syntaxes/lpt.tmLanguage.json; a test fails
 * when that file is stale.
 */
import type { TokenType } from 'chevrotain';
import { callSpecs } from '../compiler/spec/index.ts';
import { keywordSpecs } from '../compiler/spec/keywords.ts';
import * as t from '../grammar/tokens.ts';

type Rule = Record<string, unknown>;

const source = (token: TokenType): string => (token.PATTERN as RegExp).source;
const words = (names: Iterable<string>): string =>
  `\\b(?:${[...new Set(names)].sort((a, b) => b.length - a.length).join('|')})\\b`;

/** Scope of each punctuation token. */
const punctuation: readonly [TokenType, string][] = [
  [t.LCurly, 'punctuation.section.block.begin.lpt'],
  [t.RCurly, 'punctuation.section.block.end.lpt'],
  [t.LParen, 'punctuation.section.parens.begin.lpt'],
  [t.RParen, 'punctuation.section.parens.end.lpt'],
  [t.LBracket, 'punctuation.section.brackets.begin.lpt'],
  [t.RBracket, 'punctuation.section.brackets.end.lpt'],
  [t.Comma, 'punctuation.separator.comma.lpt'],
  [t.Semicolon, 'punctuation.terminator.statement.lpt'],
  [t.Colon, 'punctuation.separator.key-value.lpt'],
  [t.Equals, 'keyword.operator.assignment.lpt'],
  [t.DotDot, 'keyword.operator.range.lpt'],
  [t.Dot, 'punctuation.accessor.lpt'],
  [t.Pipe, 'keyword.operator.pipe.lpt'],
  [t.GreaterEqual, 'keyword.operator.comparison.lpt'],
  [t.LessEqual, 'keyword.operator.comparison.lpt'],
  [t.Greater, 'keyword.operator.comparison.lpt'],
  [t.Less, 'keyword.operator.comparison.lpt'],
  [t.Plus, 'keyword.operator.arithmetic.lpt'],
  [t.Minus, 'keyword.operator.arithmetic.lpt'],
  [t.Star, 'keyword.operator.arithmetic.lpt'],
  [t.Slash, 'keyword.operator.arithmetic.lpt'],
];

export function textMateGrammar(): Rule {
  const blockComment = source(t.BlockComment); // \/\*[\s\S]*?\*\/ : begin and end are its two ends
  const repository: Record<string, Rule> = {
    comments: {
      patterns: [
        { name: 'comment.line.double-slash.lpt', match: source(t.LineComment) },
        { name: 'comment.block.lpt', begin: blockComment.slice(0, 4), end: blockComment.slice(-4) },
      ],
    },
    strings: {
      name: 'string.quoted.double.lpt',
      match: source(t.StringLiteral),
      captures: { 0: { patterns: [{ name: 'constant.character.escape.lpt', match: '\\\\.' }] } },
    },
    numbers: { name: 'constant.numeric.lpt', match: `\\b${source(t.NumberLiteral)}` },
    connectors: { name: 'keyword.control.connector.lpt', match: words([t.Of, t.After, t.Extends, t.On].map(source)) },
    keywords: {
      // A statement starts a line or follows `{` or `;` (one-line blocks).
      match: `(?:^|(?<=[{;]))\\s*(${words(keywordSpecs.map((k) => k.name))})`,
      captures: { 1: { name: 'keyword.other.statement.lpt' } },
    },
    calls: {
      name: 'support.function.lpt',
      match: `${words(callSpecs.map((c) => c.name))}(?=\\s*(?:\\(|[,|)\\]}\\n;]|$))`,
    },
    arguments: { match: `(${source(t.Identifier)})\\s*(?=:)`, captures: { 1: { name: 'variable.parameter.lpt' } } },
    constants: { name: 'constant.language.lpt', match: words(['true', 'false', 'all', 'none']) },
    punctuation: { patterns: punctuation.map(([token, name]) => ({ name, match: source(token) })) },
  };
  return {
    name: 'lpt',
    scopeName: 'source.lpt',
    fileTypes: ['lpt'],
    patterns: Object.keys(repository).map((name) => ({ include: `#${name}` })),
    repository,
  };
}

export function textMateJson(): string {
  return `${JSON.stringify(textMateGrammar(), null, 2)}\n`;
}
