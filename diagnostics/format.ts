/**
 * Printing diagnostics for people: `file:line:col: error: message [LPT1234]`, then the source
 * line and a caret line under the span, in the style of graphql-js `printLocation`. Line and
 * column are computed only here, from offsets, when a diagnostic is shown.
 *
 *   experiments/a.lpt:3:11: error: Expected a value but found '}'. [LPT1106]
 *     3 |   seed = }
 *       |          ^
 */
import type { Diagnostic } from './diagnostic.ts';
import type { Span } from './span.ts';

export interface LineAndColumn {
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column, counting UTF-16 code units (a tab is one column). */
  readonly column: number;
}

/** 1-based line and column of `offset`; offsets outside the text are clamped to it. */
export function lineAndColumn(text: string, offset: number): LineAndColumn {
  const at = clamp(offset, text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1 };
}

/**
 * Formats one diagnostic with its excerpt. `text` is the source of `d.span.file`; related notes in
 * other files get a position only when `sourceOf` can supply their text.
 */
export function formatDiagnostic(
  d: Diagnostic,
  text: string,
  sourceOf: (file: string) => string | undefined = () => undefined,
): string {
  const lines = [`${where(d.span, text)}: ${d.severity}: ${d.message} [LPT${d.code}]`, ...excerpt(d.span, text)];
  for (const note of d.related ?? []) {
    const noteText = note.span.file === d.span.file ? text : sourceOf(note.span.file);
    const location = noteText === undefined ? note.span.file : where(note.span, noteText);
    lines.push(`${location}: note: ${note.message}`);
  }
  return lines.join('\n');
}

function where(span: Span, text: string): string {
  const { line, column } = lineAndColumn(text, span.start);
  return `${span.file}:${line}:${column}`;
}

/** The source line holding the span's start, and carets under the span (to the end of that line). */
function excerpt(span: Span, text: string): string[] {
  const start = clamp(span.start, text.length);
  const end = Math.max(start, clamp(span.end, text.length));
  const { line } = lineAndColumn(text, start);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const newline = text.indexOf('\n', start);
  const lineEnd = newline === -1 ? text.length : newline;
  const source = text.slice(lineStart, lineEnd).replace(/\r$/, '');
  // Keep tabs in the padding so the carets line up however the terminal renders a tab.
  const padding = text.slice(lineStart, start).replace(/[^\t]/g, ' ');
  const width = Math.max(1, Math.min(end, lineStart + source.length) - start);
  const gutter = String(line);
  return [`  ${gutter} | ${source}`.trimEnd(), `  ${' '.repeat(gutter.length)} | ${padding}${'^'.repeat(width)}`];
}

function clamp(offset: number, length: number): number {
  if (Number.isNaN(offset)) return length;
  return Math.min(Math.max(0, Math.trunc(offset)), length);
}
