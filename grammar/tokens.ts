/**
 * Tokens of the `.lpt` language (Chevrotain lexer definitions).
 *
 * The language is uniform like HCL: names, literals and punctuation, plus four reserved
 * connectors (`of`, `after`, `extends`, `on`). Domain words such as `experiment` or `phase` are
 * plain identifiers; the compiler gives them meaning. Each token's `label` is how the parse stage
 * names it in "expected ..." messages.
 *
 * Two tokens exist only to report mistakes well: `UnterminatedString` is a String (via category)
 * so the parser carries on as if the quote were closed, and `UnterminatedBlockComment` swallows
 * the rest of the file into the `problems` group. grammar/parse.ts turns both into diagnostics.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n\r]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });
export const UnterminatedBlockComment = createToken({
  name: 'UnterminatedBlockComment',
  pattern: /\/\*[\s\S]*/,
  group: 'problems',
});

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });

/** Reserved connectors; `longer_alt` keeps `often`, `afterwards`, `ontology` identifiers. */
export const Of = createToken({ name: 'Of', pattern: /of/, longer_alt: Identifier, label: "'of'" });
export const After = createToken({ name: 'After', pattern: /after/, longer_alt: Identifier, label: "'after'" });
export const Extends = createToken({ name: 'Extends', pattern: /extends/, longer_alt: Identifier, label: "'extends'" });
export const On = createToken({ name: 'On', pattern: /on/, longer_alt: Identifier, label: "'on'" });

/** `"..."` with \" \\ \n \t escapes; the string may not span lines. */
export const StringLiteral = createToken({ name: 'String', pattern: /"(?:[^"\\\r\n]|\\.)*"/, label: 'a string' });
/** A string whose closing quote is missing on its line (a trailing backslash included). */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\r\n]|\\.)*\\?/,
  categories: [StringLiteral],
});

/**
 * A number and whatever name characters are glued to it: `10`, `1e-6`, `1.1M`, `1.2%`. The
 * suffix is validated in parse.ts (only k, M, G, %), so `10kb` is one bad number, not `10` `kb`.
 * `\.\d+` needs a digit after the dot, so `4..6` lexes as Number DotDot Number.
 */
export const NumberLiteral = createToken({
  name: 'Number',
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[A-Za-z0-9_%]*/,
  label: 'a number',
});

export const LCurly = createToken({ name: 'LCurly', pattern: /{/, label: "'{'" });
export const RCurly = createToken({ name: 'RCurly', pattern: /}/, label: "'}'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/, label: "']'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, label: "';'" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
export const DotDot = createToken({ name: 'DotDot', pattern: /\.\./, label: "'..'" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/, label: "'|'" });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: "'-'" });
export const Star = createToken({ name: 'Star', pattern: /\*/, label: "'*'" });
export const Slash = createToken({ name: 'Slash', pattern: /\//, label: "'/'" });
export const GreaterEqual = createToken({ name: 'GreaterEqual', pattern: />=/, label: "'>='" });
export const LessEqual = createToken({ name: 'LessEqual', pattern: /<=/, label: "'<='" });
export const Greater = createToken({ name: 'Greater', pattern: />/, label: "'>'" });
export const Less = createToken({ name: 'Less', pattern: /</, label: "'<'" });

/** Chevrotain tries patterns in this order and takes the first match (not the longest). */
export const allTokens: readonly TokenType[] = [
  // Whitespace first: it is the most frequent token, so trying it first is cheapest.
  WhiteSpace,
  // Comments before Slash, which would otherwise take their leading '/'; the terminated block
  // comment before the unterminated one, which matches any '/*'.
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  // Closed strings before unterminated ones, which match every prefix of a string.
  StringLiteral,
  UnterminatedString,
  // Numbers start with a digit and identifiers cannot, so their relative order is free.
  NumberLiteral,
  // Keywords before Identifier; longer_alt hands `often` or `afterwards` back to Identifier.
  Extends,
  After,
  Of,
  On,
  Identifier,
  // Two-character punctuation before its one-character prefix: '..' before '.', '>=' before '>'.
  DotDot,
  Dot,
  GreaterEqual,
  LessEqual,
  Greater,
  Less,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Semicolon,
  Colon,
  Equals,
  Pipe,
  Plus,
  Minus,
  Star,
  Slash,
];

/**
 * Built once per module: constructing a Chevrotain lexer validates and optimises every pattern.
 * Full position tracking, because the parser's node locations need each token's endOffset.
 */
export const lexer = new Lexer(allTokens as TokenType[], { positionTracking: 'full' });

/** Tokens that close a bracket, with the opener each closes. */
export const closerToOpener: ReadonlyMap<TokenType, TokenType> = new Map([
  [RCurly, LCurly],
  [RParen, LParen],
  [RBracket, LBracket],
]);
