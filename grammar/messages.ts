/**
 * Every lex and parse message (codes 1xxx), in the style of TypeScript's diagnosticMessages.json:
 * 10xx lexical, 11xx syntax. Tests and docs refer to the code, never to the wording. `{0}`, `{1}`,
 * ... are filled in by `diagnostic()`.
 */
import type { Diagnostic, RelatedInfo, Severity } from '../diagnostics/diagnostic.ts';
import type { Span } from '../diagnostics/span.ts';

export interface MessageTemplate {
  readonly code: number;
  readonly severity: Severity;
  readonly text: string;
}

export const Messages = {
  UnexpectedCharacter: { code: 1001, severity: 'error', text: "Unexpected character '{0}'." },
  UnterminatedString: { code: 1002, severity: 'error', text: "Unterminated string: add a closing '\"' before the end of the line." },
  UnknownEscape: { code: 1003, severity: 'error', text: "Unknown escape '\\{0}' in a string; use \\\", \\\\, \\n or \\t." },
  UnknownNumberUnit: { code: 1004, severity: 'error', text: "Unknown unit '{0}' after the number {1}; use k, M, G or %." },
  UnterminatedComment: { code: 1005, severity: 'error', text: "Unterminated block comment: add '*/' to close it." },
  NestingTooDeep: { code: 1006, severity: 'error', text: 'Brackets are nested more than {0} levels deep here; the rest of the file is not read.' },

  ExpectedToken: { code: 1101, severity: 'error', text: 'Expected {0} but found {1}.' },
  UnclosedBlock: { code: 1102, severity: 'error', text: "Expected '}' to close the block '{0}' opened at line {1}, but found {2}." },
  UnclosedBracket: { code: 1103, severity: 'error', text: "Expected '{0}' to close the '{1}' opened at line {2}, but found {3}." },
  ExpectedStatement: { code: 1104, severity: 'error', text: 'Expected a statement but found {0}.' },
  ExpectedStatementOrClose: { code: 1105, severity: 'error', text: "Expected a statement or '}' but found {0}." },
  ExpectedValue: { code: 1106, severity: 'error', text: 'Expected a value but found {0}.' },
  UnmatchedCloser: { code: 1107, severity: 'error', text: "Unexpected '{0}': there is no open '{1}' to close." },
  UnexpectedToken: { code: 1108, severity: 'error', text: 'Unexpected {0}.' },
  ReservedWord: { code: 1109, severity: 'error', text: "'{0}' is a reserved connector (of, after, extends, on) and cannot be used as a name." },
} as const satisfies Record<string, MessageTemplate>;

/** Texts of related notes; they point at a second place and carry no code of their own. */
export const Notes = {
  BlockOpensHere: { text: "the block '{0}' opens here" },
  BracketOpensHere: { text: "the '{0}' opens here" },
} as const satisfies Record<string, { readonly text: string }>;

/** Fills `{0}`, `{1}`, ... in a template; a missing argument is left as written. */
export function formatMessage(template: { readonly text: string }, args: readonly string[] = []): string {
  return template.text.replace(/\{(\d+)\}/g, (whole, index: string) => args[Number(index)] ?? whole);
}

export function diagnostic(
  template: MessageTemplate,
  span: Span,
  args: readonly string[] = [],
  related?: readonly RelatedInfo[],
): Diagnostic {
  const base = { code: template.code, severity: template.severity, message: formatMessage(template, args), span };
  return related && related.length > 0 ? { ...base, related } : base;
}
