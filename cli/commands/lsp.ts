/**
 * `lpt lsp --stdio`: the language server for editors (lsp/server.ts), speaking the Language
 * Server Protocol on stdin/stdout. Editors start it; see editors/vscode/ for VS Code.
 */
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer } from '../../lsp/server.ts';
import { parseCommandArgs, UsageError, type Command } from './command.ts';

const usage = `usage: lpt lsp --stdio

Runs the .lpt language server on stdin/stdout (Language Server Protocol): diagnostics as you
type, completion, hover, go to definition, document symbols, quick fixes and formatting.
Editors start it themselves; see editors/vscode/ and the README.

options:
  --stdio       talk over stdin/stdout (the only transport)
  -h, --help    this help`;

export const command: Command = {
  usage,
  run(args, io) {
    const { values } = parseCommandArgs(args, { stdio: { type: 'boolean' } });
    if (!values.stdio) throw new UsageError('the language server needs --stdio.');
    const connection = createConnection(
      new StreamMessageReader(process.stdin),
      new StreamMessageWriter(process.stdout),
    );
    startServer(connection, { cwd: io.cwd });
    // The connection exits the process on the client's `exit` notification.
    return new Promise<number>((resolve) => connection.onExit(() => resolve(0)));
  },
};
