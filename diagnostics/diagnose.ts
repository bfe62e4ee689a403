/**
 * Turning a message from messages.ts into a Diagnostic, and a collector that drops repeats
 * (one report per code and offset, like TypeScript's parseErrorAtPosition). Repeats are common:
 * every variant of an ablation re-checks the base experiment.
 */
import type { Diagnostic, RelatedInfo } from './diagnostic.ts';
import { formatMessage, type Message } from './messages.ts';
import type { Span } from './span.ts';

export type MessageArg = string | number;

export function diagnostic(
  message: Message,
  span: Span,
  args: readonly MessageArg[] = [],
  related?: readonly RelatedInfo[],
): Diagnostic {
  const d: Diagnostic = { code: message.code, severity: message.severity, message: formatMessage(message, args), span };
  return related && related.length > 0 ? { ...d, related } : d;
}

export class DiagnosticBag {
  readonly #items: Diagnostic[] = [];
  readonly #seen = new Set<string>();

  add(d: Diagnostic): void {
    const key = `${d.code}:${d.span.file}:${d.span.start}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#items.push(d);
  }

  addAll(ds: Iterable<Diagnostic>): void {
    for (const d of ds) this.add(d);
  }

  report(message: Message, span: Span, args: readonly MessageArg[] = [], related?: readonly RelatedInfo[]): void {
    this.add(diagnostic(message, span, args, related));
  }

  get items(): readonly Diagnostic[] {
    return this.#items;
  }
}

/** Diagnostics in file order, then by offset, for stable output. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) =>
    a.span.file === b.span.file ? a.span.start - b.span.start || a.code - b.code : a.span.file < b.span.file ? -1 : 1,
  );
}
