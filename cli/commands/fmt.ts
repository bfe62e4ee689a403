/**
 * `lpt fmt FILE|DIR... [--check]`: rewrite .lpt files in the canonical layout (format/), or with
 * --check only name the files that would change. A file that does not parse is left alone and
 * its syntax errors are printed. Exit 0 when every file is (now) formatted, 1 when --check finds
 * a file to reformat or a file has syntax errors.
 */
import { readFileSync } from 'node:fs';
import { formatSource } from '../../format/format.ts';
import { writeFileAtomic } from '../../io/atomic.ts';
import { parseCommandArgs, UsageError, type Command } from './command.ts';
import { lptFiles } from './lpt_files.ts';
import { displayPath, formatAll } from './print_diagnostics.ts';

const usage = `usage: lpt fmt FILE|DIR... [--check]

Formats .lpt files (a folder: every .lpt file below it) in place: one statement per line, two
spaces per block, canonical spacing, '=' aligned across neighbouring declarations, comments kept.
Line breaks after ',' and before '|', '+', '-' are kept and the next line aligned. Only
whitespace changes, so the plans of a formatted file are those of the original.

options:
  --check       change nothing; list the files that would be reformatted and exit 1 if any
  -h, --help    this help`;

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { check: { type: 'boolean' } });
    if (positionals.length === 0) throw new UsageError('no files given.');
    const files = lptFiles(positionals, io.cwd);
    let changed = 0;
    let broken = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const shown = displayPath(file, io.cwd);
      const result = formatSource(text, file);
      if (!result.ok) {
        broken++;
        io.stderr(
          `${formatAll(result.diagnostics, new Map([[file, text]]), io.cwd).join('\n\n')}\n${shown}: not formatted: fix the syntax errors first`,
        );
        continue;
      }
      if (result.text === text) continue;
      changed++;
      if (values.check) io.stdout(`would reformat ${shown}`);
      else {
        writeFileAtomic(file, result.text);
        io.stdout(`formatted ${shown}`);
      }
    }
    const verb = values.check ? 'would be reformatted' : 'reformatted';
    io.stdout(
      `${changed} of ${files.length} file${files.length === 1 ? '' : 's'} ${verb}${broken > 0 ? `, ${broken} not formatted (syntax errors)` : ''}`,
    );
    return broken > 0 || (values.check && changed > 0) ? 1 : 0;
  },
};
