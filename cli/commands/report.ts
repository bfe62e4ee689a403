/**
 * `lpt report RUN_DIR... [--split NAME] [--format markdown|csv] [--plot OUT.svg|OUT.png] [--html OUT.html]`:
 * the results table of one or several runs side by side, on one evaluated split (report_runs.ts,
 * runtime/report/table.ts), and optionally the long-tail figure of per-class accuracy against
 * training images per class (runtime/report/long_tail_figure.ts) and a self-contained HTML report
 * (cli/view/page_html.ts). The table goes to stdout, messages to stderr, so
 * `lpt report ... --format csv > table.csv` stays clean.
 * Exit codes as in command.ts: 1 for a missing or corrupt results.json, 2 for bad usage.
 */
import { writeFileAtomic } from '../../io/atomic.ts';
import { extname, resolve } from 'node:path';
import { longTailFigure } from '../../runtime/report/long_tail_figure.ts';
import { buildResultsTable, toCsv, toMarkdown, type LabelledRun } from '../../runtime/report/table.ts';
import { ExitCode, UsageError, parseCommandArgs, type Command, type CommandIO } from './command.ts';
import { reportRuns } from './report_runs.ts';
import { svgToPng } from '../render/png.ts';
import { renderHtmlReport } from '../view/page_html.ts';
import { reportModel } from '../view/report_model.ts';

const usage = `usage: lpt report RUN_DIR... [--split NAME] [--format markdown|csv] [--plot OUT.svg|OUT.png] [--html OUT.html]

Prints the results table of one or several run directories side by side, in the layout of the
papers' tables: method, trainable params (share of the backbone), many, medium, few, overall,
with the shot-group boundaries in a footnote. A RUN_DIR may also be a results .json file.

options:
  --split NAME            the evaluated split to show, for plans with several evaluate blocks
                          (default: each plan's first; the footnotes name the others)
  --format markdown|csv   table format (default markdown; csv has raw numbers)
  --plot OUT.svg|OUT.png  also draw per-class accuracy against training images per class
                          (log scale), one series per run/variant
  --html OUT.html         also write the table, the long-tail plot, per-class tables and the
                          plans' settings side by side as one self-contained HTML file (opens
                          offline; the same page as 'lpt view' shows)
  -h, --help              this help`;

async function writePlot(runs: readonly LabelledRun[], out: string, io: CommandIO): Promise<number> {
  const svg = longTailFigure(runs);
  if (svg === undefined) {
    io.stderr(`lpt report: no per-class results to plot (results.json has no perClass rows)\n`);
    return ExitCode.inputErrors;
  }
  if (extname(out).toLowerCase() !== '.png') return writeOutput(svg, out, io);
  const png = await svgToPng(svg);
  if (!png.ok) {
    io.stderr(`lpt report: ${png.message}\n`);
    return ExitCode.inputErrors;
  }
  return writeOutput(png.png, out, io);
}

/** Writes `bytes` to `out` (atomically: a complete file or none) and says so on stderr. */
function writeOutput(bytes: string | Uint8Array, out: string, io: CommandIO): number {
  try {
    writeFileAtomic(resolve(io.cwd, out), bytes);
  } catch (error) {
    io.stderr(
      `lpt report: ${out}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`,
    );
    return ExitCode.inputErrors;
  }
  io.stderr(`wrote ${out}\n`);
  return ExitCode.ok;
}

const options = {
  format: { type: 'string', default: 'markdown' },
  plot: { type: 'string' },
  html: { type: 'string' },
  split: { type: 'string' },
} as const;

function parse(args: readonly string[]) {
  return parseCommandArgs(args, options);
}

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parse(args);
    if (positionals.length === 0) throw new UsageError('name at least one run directory.');
    if (values.format !== 'markdown' && values.format !== 'csv') {
      throw new UsageError(`--format must be markdown or csv, not '${values.format}'.`);
    }
    if (values.plot !== undefined && !['.svg', '.png'].includes(extname(values.plot).toLowerCase())) {
      throw new UsageError(`--plot wants a file name ending in .svg or .png, not '${values.plot}'.`);
    }
    if (values.html !== undefined && !['.html', '.htm'].includes(extname(values.html).toLowerCase())) {
      throw new UsageError(`--html wants a file name ending in .html, not '${values.html}'.`);
    }
    const selected = reportRuns(positionals, io.cwd, values.split);
    if (!selected.ok) {
      for (const problem of selected.problems) io.stderr(`lpt report: ${problem}\n`);
      return ExitCode.inputErrors;
    }
    const { runs, otherSplits } = selected;
    io.stdout(values.format === 'csv' ? toCsv(runs) : toMarkdown(buildResultsTable(runs, otherSplits)));
    if (values.html !== undefined) {
      const written = writeOutput(renderHtmlReport(reportModel(runs, otherSplits, io.cwd)), values.html, io);
      if (written !== ExitCode.ok) return written;
    }
    return values.plot === undefined ? ExitCode.ok : writePlot(runs, values.plot, io);
  },
};
