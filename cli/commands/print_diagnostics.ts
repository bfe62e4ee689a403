/**
 * Printing compiler diagnostics for the terminal: paths relative to the working directory, the
 * source excerpt and caret from diagnostics/format.ts, and a one-line count.
 */
import { relative } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { formatDiagnostic } from '../../diagnostics/format.ts';
import { Messages } from '../../diagnostics/messages.ts';
import { ExitCode } from './command.ts';

export function displayPath(file: string, cwd: string): string {
  if (file.startsWith('<')) return file; // a virtual source such as <command line>
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

export function formatAll(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  cwd: string,
): string[] {
  const shown = (d: Diagnostic): Diagnostic => ({
    ...d,
    span: { ...d.span, file: displayPath(d.span.file, cwd) },
    ...(d.related
      ? { related: d.related.map((r) => ({ ...r, span: { ...r.span, file: displayPath(r.span.file, cwd) } })) }
      : {}),
  });
  const byShownPath = new Map([...sources].map(([file, text]) => [displayPath(file, cwd), text]));
  return diagnostics.map((d) =>
    formatDiagnostic(shown(d), sources.get(d.span.file) ?? '', (file) => byShownPath.get(file)),
  );
}

export function countLine(diagnostics: readonly Diagnostic[], files: number): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}

/** 3 when the compiler reported an internal error, 1 for other errors, else 0. */
export function exitCodeFor(diagnostics: readonly Diagnostic[]): number {
  if (diagnostics.some((d) => d.code === Messages.InternalError.code)) return ExitCode.internal;
  return diagnostics.some((d) => d.severity === 'error') ? ExitCode.inputErrors : ExitCode.ok;
}
