/**
 * A real LSP client for tests: starts `lpt lsp --stdio` as a child process and talks JSON-RPC to
 * it with vscode-jsonrpc, collecting published diagnostics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface LspClient {
  readonly connection: MessageConnection;
  readonly child: ChildProcess;
  readonly stderr: string[];
  /** Resolves with the next diagnostics published for `uri` that satisfy `accept`. */
  diagnostics(
    uri: string,
    accept?: (ds: readonly Diagnostic[]) => boolean,
    timeoutMs?: number,
  ): Promise<readonly Diagnostic[]>;
  /** The latest diagnostics published for `uri`. */
  latest(uri: string): readonly Diagnostic[] | undefined;
  open(uri: string, text: string, version?: number): void;
  change(uri: string, text: string, version: number): void;
  /** shutdown + exit; resolves with the server's exit code. */
  stop(): Promise<number | null>;
}

export function fileUri(relative: string): string {
  return pathToFileURL(resolve(repoRoot, relative)).href;
}

export async function startLspClient(): Promise<LspClient> {
  const child = spawn(process.execPath, [resolve(repoRoot, 'bin/lpt.js'), 'lsp', '--stdio'], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  const published = new Map<string, readonly Diagnostic[]>();
  const waiting = new Set<{
    uri: string;
    accept: (ds: readonly Diagnostic[]) => boolean;
    resolve: (ds: readonly Diagnostic[]) => void;
  }>();
  connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Diagnostic[] }) => {
    published.set(params.uri, params.diagnostics);
    for (const w of [...waiting]) {
      if (w.uri === params.uri && w.accept(params.diagnostics)) {
        waiting.delete(w);
        w.resolve(params.diagnostics);
      }
    }
  });
  connection.onNotification('window/logMessage', (params: { message: string }) => void stderr.push(params.message));
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(repoRoot).href,
    capabilities: {},
    initializationOptions: { debounceMs: 30 },
  });
  await connection.sendNotification('initialized', {});
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return {
    connection,
    child,
    stderr,
    latest: (uri) => published.get(uri),
    diagnostics: (uri, accept = () => true, timeoutMs = 60_000) =>
      new Promise((done, fail) => {
        const entry = { uri, accept, resolve: done };
        waiting.add(entry);
        setTimeout(() => {
          if (waiting.delete(entry)) fail(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`));
        }, timeoutMs).unref();
      }),
    open: (uri, text, version = 1) =>
      void connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'lpt', version, text },
      }),
    change: (uri, text, version) =>
      void connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ text }],
      }),
    async stop() {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
}
