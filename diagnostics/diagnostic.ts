/**
 * Diagnostics are values, never thrown strings (TypeScript's `Diagnostic`, graphql-js `GraphQLError`).
 * Codes are numbered by stage: 1xxx lex/parse, 2xxx check, 3xxx plan schema, 4xxx internal.
 */
import type { Span } from './span.ts';

export type Severity = 'error' | 'warning';

export interface RelatedInfo {
  readonly message: string;
  readonly span: Span;
}

export interface Diagnostic {
  readonly code: number;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related?: readonly RelatedInfo[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
