/**
 * The printer: writes the tokens and comments of a file in order, choosing only the whitespace
 * between them. Statements start on their own line, indented two spaces per block; a block
 * written on one line stays on one line; within a statement a line break is kept where the
 * author put one after a `,` or before `|`, `+`, `-`, and the next line is aligned: under the
 * first argument inside brackets, under `=` for an operator, else under the first value.
 */
import { tokenMatcher, type IToken } from 'chevrotain';
import * as t from '../grammar/tokens.ts';
import type { Layout, StatementLayout } from './layout.ts';

interface OpenStatement {
  readonly layout: StatementLayout;
  equalsColumn?: number;
  valueColumn?: number;
}

const noSpaceBefore = [t.RParen, t.RBracket, t.Comma, t.Semicolon, t.Colon, t.Dot, t.DotDot];
const noSpaceAfter = [t.LParen, t.LBracket, t.Dot, t.DotDot, t.Greater, t.Less, t.GreaterEqual, t.LessEqual];

const is = (token: IToken | undefined, types: readonly (typeof t.Comma)[]): boolean =>
  token !== undefined && types.some((type) => tokenMatcher(token, type));

export function print(text: string, tokens: readonly IToken[], comments: readonly IToken[], layout: Layout): string {
  const items = [...tokens, ...comments].sort((a, b) => a.startOffset - b.startOffset);
  const commentSet = new Set(comments);
  const lines: string[] = [];
  let line = '';
  const statements: OpenStatement[] = [];
  const brackets: number[] = [];
  let previous: IToken | undefined;
  let previousToken: IToken | undefined;
  let forceBreak = false;

  const newline = (indent: number, blank: boolean): void => {
    lines.push(line.trimEnd());
    if (blank) lines.push('');
    line = ' '.repeat(indent);
  };
  const write = (separator: string, image: string): void => {
    line += (line.trim() === '' ? '' : separator) + image;
  };
  const endOf = (token: IToken): number => token.startOffset + token.image.length;
  const gap = (from: IToken | undefined, to: IToken): string => (from ? text.slice(endOf(from), to.startOffset) : '');
  const newlines = (s: string): number => s.split('\n').length - 1;
  const blankBefore = (item: IToken): boolean =>
    newlines(gap(previous, item)) >= 2 && previous !== undefined && !layout.blockOpens.has(previous.startOffset);
  const started = (): boolean => lines.length > 0 || line.trim() !== '';

  const continuation = (token: IToken): number => {
    const innermost = brackets[brackets.length - 1];
    if (innermost !== undefined) return innermost + 1;
    const open = statements[statements.length - 1];
    if (!open) return 0;
    if (layout.operators.has(token.startOffset) && open.equalsColumn !== undefined) return open.equalsColumn;
    return open.valueColumn ?? open.layout.depth * 2 + 4;
  };

  /** Where a comment or token goes when it must start a line. */
  const indentFor = (token: IToken | undefined): number => {
    if (!token) return 0;
    const statement = layout.statements.get(token.startOffset);
    if (statement) return statement.depth * 2;
    const closing = layout.blockCloses.get(token.startOffset);
    if (closing) return closing.depth * 2;
    return continuation(token);
  };

  const nextToken = (from: number): IToken | undefined => items.slice(from).find((item) => !commentSet.has(item));

  items.forEach((item, index) => {
    while (statements.length > 0 && item.startOffset > statements[statements.length - 1]!.layout.end) statements.pop();
    if (commentSet.has(item)) {
      const image = item.image.replace(/[ \t\r]+$/gm, '');
      const trailing = previous !== undefined && !gap(previous, item).includes('\n');
      if (trailing) write(' ', image);
      else {
        if (started()) newline(indentFor(nextToken(index)), blankBefore(item));
        line += image;
      }
      forceBreak = image.startsWith('//') || text.slice(endOf(item)).match(/^[ \t\r]*(\n|$)/) !== null;
      previous = item;
      return;
    }
    const statement = layout.statements.get(item.startOffset);
    const closing = layout.blockCloses.get(item.startOffset);
    if (statement) {
      if (statement.inline || !started()) write(' ', item.image);
      else {
        newline(statement.depth * 2, blankBefore(item));
        line += item.image;
      }
      statements.push({ layout: statement });
    } else if (closing) {
      const empty = previousToken !== undefined && layout.blockOpens.get(previousToken.startOffset) === closing;
      if (closing.inline || (empty && !forceBreak)) write(' ', item.image);
      else {
        newline((closing.depth - 1) * 2, false);
        line += item.image;
      }
    } else if (forceBreak || breaksHere(item)) {
      newline(continuation(item), false);
      line += item.image;
    } else if (previous !== previousToken) {
      write(' ', item.image);
    } else {
      write(spacing(previousToken, item), item.image);
    }
    forceBreak = false;
    track(item);
    previous = item;
    previousToken = item;
  });
  lines.push(line.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;

  function breaksHere(token: IToken): boolean {
    if (!gap(previousToken, token).includes('\n')) return false;
    return is(previousToken, [t.Comma]) || layout.operators.has(token.startOffset);
  }

  function spacing(before: IToken | undefined, token: IToken): string {
    if (!before) return '';
    if (is(token, noSpaceBefore) || is(before, noSpaceAfter)) return '';
    if (layout.unaryMinus.has(before.startOffset)) return '';
    if (tokenMatcher(token, t.LParen) && tokenMatcher(before, t.Identifier)) return '';
    const open = statements[statements.length - 1];
    if (open?.layout.aligned === token.startOffset) return ' '.repeat(1 + open.layout.padding);
    return ' ';
  }

  /** Remember the columns later lines align to. */
  function track(token: IToken): void {
    const column = line.length - token.image.length;
    if (tokenMatcher(token, t.LParen) || tokenMatcher(token, t.LBracket)) brackets.push(column);
    if (tokenMatcher(token, t.RParen) || tokenMatcher(token, t.RBracket)) brackets.pop();
    const open = statements[statements.length - 1];
    if (!open) return;
    if (open.layout.equals === token.startOffset) open.equalsColumn = column;
    if (open.layout.valueStart === token.startOffset) open.valueColumn = column;
  }
}
