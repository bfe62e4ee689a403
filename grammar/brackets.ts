/**
 * Bracket bookkeeping over the token stream, used by parse.ts to word syntax errors ("the '{'
 * opened at line 3") and to stop input nested so deeply that the recursive-descent parser (and
 * every later tree walk) would overflow the stack.
 */
import { tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import { closerToOpener, LBracket, LCurly, LParen, Minus } from './tokens.ts';

const openers: readonly TokenType[] = [LCurly, LParen, LBracket];

function isOpener(token: IToken): boolean {
  return openers.some((type) => tokenMatcher(token, type));
}

function openerClosedBy(token: IToken): TokenType | undefined {
  return closerToOpener.get(token.tokenType);
}

/**
 * The brackets still open just before a token, innermost last, found by one forward sweep over
 * the tokens, so asking about every syntax error in order costs O(tokens) in all. A closer pops
 * back to the nearest opener of its kind (so `{ f( }` closes both); one with no such opener is
 * ignored. Asking about an earlier token restarts the sweep.
 */
export class OpenBrackets {
  private next = 0;
  private readonly open: IToken[] = [];

  constructor(private readonly tokens: readonly IToken[]) {}

  /** The brackets open before `tokens[index]`; valid until the next call. */
  before(index: number): readonly IToken[] {
    if (index < this.next) {
      this.next = 0;
      this.open.length = 0;
    }
    for (const end = Math.min(index, this.tokens.length); this.next < end; this.next++)
      this.step(this.tokens[this.next]!);
    return this.open;
  }

  private step(token: IToken): void {
    if (isOpener(token)) {
      this.open.push(token);
      return;
    }
    const opener = openerClosedBy(token);
    if (opener === undefined) return;
    const at = this.open.findLastIndex((candidate) => candidate.tokenType === opener);
    if (at >= 0) this.open.length = at;
  }
}

/** The innermost open bracket of `type`, if any. */
export function innermostOpen(open: readonly IToken[], type: TokenType): IToken | undefined {
  const at = open.findLastIndex((token) => token.tokenType === type);
  return at >= 0 ? open[at] : undefined;
}

/**
 * Index of the first token at which nesting exceeds `limit`, or -1. Nesting counts open brackets
 * plus chains of prefix minus signs (`- - - x` recurses like brackets do); a minus chain ends at
 * the first token that is neither a minus nor an opener.
 */
export function firstTooDeep(tokens: readonly IToken[], limit: number): number {
  const depthAtOpen: number[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isOpener(token) || tokenMatcher(token, Minus)) {
      if (isOpener(token)) depthAtOpen.push(depth);
      depth++;
      if (depth > limit) return i;
    } else if (openerClosedBy(token) !== undefined) {
      depth = depthAtOpen.pop() ?? 0;
    } else {
      // A minus chain ends here; brackets still open keep their depth.
      depth = depthAtOpen.length > 0 ? depthAtOpen[depthAtOpen.length - 1]! + 1 : 0;
    }
  }
  return -1;
}
