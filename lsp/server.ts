/**
 * The `.lpt` language server (Language Server Protocol, vscode-languageserver): diagnostics as
 * you type, completion, hover, go to definition, document symbols, quick fixes for did-you-mean
 * diagnostics and whole-document formatting. Every request is answered from the compiler's own
 * stages and spec tables; a failure inside a handler is logged and answered with nothing, so the
 * server never goes down with one bad request.
 */
import {
  CodeActionKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseFile } from '../compiler/parse_file.ts';
import { formatSource } from '../format/format.ts';
import { complete } from './completion.ts';
import { hover } from './hover.ts';
import { definition, documentSymbols } from './navigation.ts';
import { quickFixes } from './quick_fix.ts';
import { pathOf, rangeOf, uriOf, Workspace } from './workspace.ts';

export interface ServerOptions {
  /** Working directory for paths in plans and for relative command-line paths. */
  readonly cwd: string;
}

/** The debounce delay (ms) unless the client sets initializationOptions.debounceMs. */
const defaultDelayMs = 250;

export function startServer(connection: Connection, options: ServerOptions): void {
  const documents = new TextDocuments(TextDocument);
  let workspace: Workspace | undefined;

  const guard =
    <A extends unknown[], R>(name: string, fallback: R, handler: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return handler(...args);
      } catch (e) {
        connection.console.error(`lpt: ${name} failed: ${e instanceof Error ? e.stack : String(e)}`);
        return fallback;
      }
    };
  const parsed = (uri: string) => {
    const document = documents.get(uri);
    return document ? { document, ast: parseFile(pathOf(uri), document.getText()).ast } : undefined;
  };

  connection.onInitialize((params): InitializeResult => {
    const delay = (params.initializationOptions as { debounceMs?: unknown } | undefined)?.debounceMs;
    workspace = new Workspace(
      connection,
      documents,
      options.cwd,
      typeof delay === 'number' && delay >= 0 ? delay : defaultDelayMs,
    );
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', '(', ',', ':', '|'] },
        hoverProvider: true,
        definitionProvider: true,
        documentSymbolProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentFormattingProvider: true,
      },
      serverInfo: { name: 'lpt' },
    };
  });

  documents.onDidOpen(guard('open', undefined, (e) => workspace?.changed(e.document.uri)));
  documents.onDidChangeContent(guard('change', undefined, (e) => workspace?.changed(e.document.uri)));
  documents.onDidClose(guard('close', undefined, (e) => workspace?.closed(e.document.uri)));

  connection.onCompletion(
    guard('completion', [], (params) => {
      const file = parsed(params.textDocument.uri);
      if (!file || !workspace) return [];
      return complete(file.ast, file.document.offsetAt(params.position), workspace.program(file.ast.path));
    }),
  );

  connection.onHover(
    guard('hover', null, (params) => {
      const file = parsed(params.textDocument.uri);
      if (!file || !workspace) return null;
      return hover(
        file.ast,
        file.document.offsetAt(params.position),
        workspace.program(file.ast.path),
        workspace.plans(file.ast.path),
      );
    }),
  );

  connection.onDefinition(
    guard('definition', null, (params) => {
      const file = parsed(params.textDocument.uri);
      if (!file || !workspace) return null;
      const program = workspace.program(file.ast.path);
      const span = definition(file.ast, file.document.offsetAt(params.position), program);
      const text = span && program.files.get(span.file)?.text;
      return span && text !== undefined ? { uri: uriOf(span.file), range: rangeOf(span, text) } : null;
    }),
  );

  connection.onDocumentSymbol(
    guard('symbols', [], (params) => {
      const file = parsed(params.textDocument.uri);
      return file ? documentSymbols(file.ast, (span) => rangeOf(span, file.ast.text)) : [];
    }),
  );

  connection.onCodeAction(
    guard('code action', [], (params) => {
      const document = documents.get(params.textDocument.uri);
      return document ? quickFixes(document, params.context.diagnostics) : [];
    }),
  );

  connection.onDocumentFormatting(
    guard('formatting', [], (params) => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const result = formatSource(document.getText(), pathOf(document.uri));
      if (!result.ok || result.text === document.getText()) return [];
      return [
        {
          range: { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) },
          newText: result.text,
        },
      ];
    }),
  );

  connection.onShutdown(() => workspace?.dispose());
  documents.listen(connection);
  connection.listen();
}
