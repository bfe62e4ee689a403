/**
 * What went wrong in a parse, as data. Chevrotain only lets a parser attach a *string* message to
 * its exceptions, and the exception itself does not record which token was expected. So the
 * parser's error message provider writes a small JSON `ParseProblem` into the message, and
 * grammar/parse.ts reads it back to word a human diagnostic (with bracket context) there.
 */
import type { IParserErrorMessageProvider } from 'chevrotain';

export type ParseProblem =
  /** A CONSUME failed: `expected` is the token type's name, `rule` the rule being parsed. */
  | { readonly kind: 'expected'; readonly expected: string; readonly rule: string }
  /** No alternative of an OR (or no first iteration of an AT_LEAST_ONE) fits the next token. */
  | { readonly kind: 'noAlternative'; readonly rule: string }
  /** The top rule finished before the end of the input. */
  | { readonly kind: 'redundant' };

export const problemMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) =>
    encodeProblem({ kind: 'expected', expected: expected.name, rule: ruleName }),
  buildNotAllInputParsedMessage: () => encodeProblem({ kind: 'redundant' }),
  buildNoViableAltMessage: ({ ruleName }) => encodeProblem({ kind: 'noAlternative', rule: ruleName }),
  buildEarlyExitMessage: ({ ruleName }) => encodeProblem({ kind: 'noAlternative', rule: ruleName }),
};

function encodeProblem(problem: ParseProblem): string {
  return JSON.stringify(problem);
}

/** Reads a problem back from an exception message; anything unreadable counts as `redundant`. */
export function decodeProblem(message: string): ParseProblem {
  try {
    const value: unknown = JSON.parse(message);
    if (typeof value === 'object' && value !== null && 'kind' in value) return value as ParseProblem;
  } catch {
    // fall through: not one of ours
  }
  return { kind: 'redundant' };
}
