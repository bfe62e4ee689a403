/**
 * `lpt check FILE|DIR...`: compile every file (a folder means every .lpt file below it) and print
 * all diagnostics of all of them, each once, with excerpts. Exit 0 without errors, 1 with errors.
 */
import { parseArgs } from 'node:util';
import { compile } from '../../compiler/compile.ts';
import { DiagnosticBag, sortDiagnostics } from '../../diagnostics/diagnose.ts';
import { nodeCompilerHost } from '../../compiler/node_host.ts';
import { UsageError, type Command } from './command.ts';
import { lptFiles } from './lpt_files.ts';
import { commandLineOf, sweepOptions, sweepUsage } from './plans_from_file.ts';
import { countLine, exitCodeFor, formatAll } from './print_diagnostics.ts';

const usage = `usage: lpt check FILE|DIR... [--set KEY=VALUE]... [--seeds 0,1,2] [--quiet]

Checks .lpt files (a folder: every .lpt file below it) and prints every error and warning as
file:line:col: severity: message, with the source line. Data and weight files need not exist
(a missing one is a warning).

options:
  -q, --quiet      print errors only
${sweepUsage}
  -h, --help       this help`;

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parse(args);
    if (positionals.length === 0) throw new UsageError('no files given.');
    const files = lptFiles(positionals, io.cwd);
    const host = nodeCompilerHost(io.cwd);
    const commandLine = commandLineOf(values);
    const bag = new DiagnosticBag();
    const sources = new Map<string, string>();
    for (const file of files) {
      const result = compile(file, host, { commandLine });
      bag.addAll(result.diagnostics);
      for (const [path, text] of result.sources) sources.set(path, text);
    }
    const diagnostics = sortDiagnostics(bag.items).filter((d) => !values.quiet || d.severity === 'error');
    const lines = formatAll(diagnostics, sources, io.cwd);
    if (lines.length > 0) io.stdout(`${lines.join('\n\n')}\n`);
    io.stdout(countLine(diagnostics, files.length));
    return exitCodeFor(bag.items);
  },
};

function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { quiet: { type: 'boolean', short: 'q' }, ...sweepOptions },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}
