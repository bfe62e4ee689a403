/**
 * Source positions. A span is a pair of character offsets into one file; line and column are
 * computed only when a diagnostic is printed (see format.ts), as graphql-js does.
 */
export interface Span {
  readonly file: string;
  /** Offset of the first character. */
  readonly start: number;
  /** Offset one past the last character (end >= start). */
  readonly end: number;
}

export function spanBetween(first: Span, last: Span): Span {
  return { file: first.file, start: first.start, end: Math.max(first.end, last.end) };
}
