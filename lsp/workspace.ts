/**
 * The server's view of the files: open documents override the disk (so imports see unsaved
 * edits), each open document is compiled as a root a short while after its last edit (debounced),
 * and the diagnostics of every compiled root are published per file, imported files included.
 * An edit to a file recompiles the open documents that import it.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { nodeCompilerHost } from '../compiler/node_host.ts';
import { compile, type CompileResult } from '../compiler/compile.ts';
import type { CompilerHost } from '../compiler/host.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Span } from '../diagnostics/span.ts';
import type { Plan } from '../plan/plan.ts';
import { ProgramIndex } from './program.ts';

export function pathOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : `/${encodeURIComponent(uri)}`;
}

export function uriOf(path: string): string {
  return path.startsWith('/untitled') || path.includes('%3A')
    ? decodeURIComponent(path.slice(1))
    : pathToFileURL(path).href;
}

export class Workspace {
  readonly #results = new Map<string, CompileResult>();
  /** The plans of each root's last compile that had no errors (hover keeps parameter counts while you type). */
  readonly #plans = new Map<string, readonly Plan[]>();
  readonly #published = new Map<string, string>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly host: CompilerHost;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    cwd: string,
    private readonly delayMs: number,
  ) {
    const disk = nodeCompilerHost(cwd);
    this.host = { ...disk, readFile: (path) => this.documents.get(uriOf(path))?.getText() ?? disk.readFile(path) };
  }

  /** Recompile `uri` (and the open documents that import it) after the debounce delay. */
  changed(uri: string): void {
    const path = pathOf(uri);
    const roots = new Set([path]);
    for (const [root, result] of this.#results)
      if (result.sources.has(path) && this.documents.get(uriOf(root))) roots.add(root);
    for (const root of roots) {
      clearTimeout(this.#timers.get(root));
      this.#timers.set(
        root,
        setTimeout(() => this.#compile(root), this.delayMs),
      );
    }
  }

  closed(uri: string): void {
    const path = pathOf(uri);
    clearTimeout(this.#timers.get(path));
    this.#timers.delete(path);
    this.#results.delete(path);
    this.#plans.delete(path);
    this.#publish();
  }

  dispose(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
  }

  /** The plans of the root's last successful compile, for their budgets. */
  plans(path: string): readonly Plan[] {
    return this.#plans.get(path) ?? [];
  }

  /** The loaded files of the root's last compile, with the open documents' current text. */
  program(path: string): ProgramIndex {
    const sources = new Map(this.#results.get(path)?.sources ?? []);
    for (const file of [...sources.keys(), path]) {
      const text = this.host.readFile(file);
      if (text !== undefined) sources.set(file, text);
    }
    return new ProgramIndex(sources);
  }

  #compile(root: string): void {
    this.#timers.delete(root);
    if (!this.documents.get(uriOf(root))) return;
    try {
      const result = compile(root, this.host);
      this.#results.set(root, result);
      if (result.plans.length > 0) this.#plans.set(root, result.plans);
    } catch (e) {
      this.connection.console.error(`lpt: compiling ${root} failed: ${e instanceof Error ? e.stack : String(e)}`);
    }
    this.#publish();
  }

  /** Publish every file's diagnostics (the union over all roots), sending only what changed. */
  #publish(): void {
    const byFile = new Map<string, Map<string, LspDiagnostic>>();
    for (const path of this.#published.keys()) byFile.set(path, new Map());
    for (const result of this.#results.values()) {
      for (const path of result.sources.keys()) if (!byFile.has(path)) byFile.set(path, new Map());
      for (const d of result.diagnostics) {
        const text = result.sources.get(d.span.file);
        if (text === undefined) continue;
        byFile.get(d.span.file)?.set(`${d.code}:${d.span.start}`, toLsp(d, result.sources));
      }
    }
    for (const [path, diagnostics] of byFile) {
      const list = [...diagnostics.values()];
      const key = JSON.stringify(list);
      if (this.#published.get(path) === key) continue;
      if (list.length === 0 && !this.#published.has(path)) continue;
      this.#published.set(path, key);
      void this.connection.sendDiagnostics({ uri: uriOf(path), diagnostics: list });
    }
  }
}

export function rangeOf(span: Span, text: string): LspDiagnostic['range'] {
  const document = TextDocument.create('', 'lpt', 0, text);
  return { start: document.positionAt(span.start), end: document.positionAt(Math.max(span.start, span.end)) };
}

function toLsp(d: Diagnostic, sources: ReadonlyMap<string, string>): LspDiagnostic {
  const related = (d.related ?? []).flatMap((r) => {
    const text = sources.get(r.span.file);
    return text === undefined
      ? []
      : [{ location: { uri: uriOf(r.span.file), range: rangeOf(r.span, text) }, message: r.message }];
  });
  return {
    range: rangeOf(d.span, sources.get(d.span.file)!),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: `LPT${d.code}`,
    source: 'lpt',
    message: d.message,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}
