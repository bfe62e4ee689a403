/**
 * `lpt view [DIR...] [--port N] [--host H]`: a local web page over run directories (cli/view/):
 * the runs and their status, a live page per run, and the report of selected runs. Reads the run
 * directories only. Runs until interrupted (Ctrl-C, SIGTERM).
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, UsageError, parseCommandArgs, type Command } from './command.ts';
import { startViewServer } from '../view/server.ts';

const usage = `usage: lpt view [DIR...] [--port N] [--host HOST]

Serves a web page over the run directories under DIR (default: runs/): the list of runs with
their status and results, a page per run that follows it live while it runs (losses, learning
rate, throughput, memory, evaluations), and the results table, long-tail plot, per-class
tables and settings of the runs you select, with the numbers 'lpt report' prints.
Prints the URL and serves until Ctrl-C. It only reads the directories.

options:
  --port N       the port (default 8350; 0 picks a free one)
  --host HOST    the address to listen on (default 127.0.0.1, this machine only); another
                 address exposes the runs to the network, on purpose
  -h, --help     this help`;

const options = {
  port: { type: 'string', default: '8350' },
  host: { type: 'string', default: '127.0.0.1' },
} as const;

/** Resolves when the process is asked to stop. */
function interrupted(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535)
      throw new UsageError(`--port must be a port number from 0 to 65535 (got '${values.port}').`);
    const dirs = positionals.length > 0 ? positionals : ['runs'];
    const missing = dirs.filter((d) => !existsSync(resolve(io.cwd, d)) || !statSync(resolve(io.cwd, d)).isDirectory());
    for (const dir of missing) io.stderr(`lpt view: ${dir}: no such folder\n`);
    if (missing.length === dirs.length) return ExitCode.inputErrors;
    const served = dirs.filter((d) => !missing.includes(d));
    let server;
    try {
      server = await startViewServer({
        roots: served.map((d) => resolve(io.cwd, d)),
        host: values.host,
        port,
        cwd: io.cwd,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'EADDRINUSE' ? `port ${port} is in use (try --port 0)` : (error as Error).message;
      io.stderr(`lpt view: cannot listen on ${values.host}:${port}: ${why}\n`);
      return ExitCode.inputErrors;
    }
    io.stderr(`lpt view: serving the runs under ${served.join(', ')} (read only); Ctrl-C stops\n`);
    io.stdout(`${server.url}\n`);
    await interrupted();
    await server.close();
    return ExitCode.ok;
  },
};
