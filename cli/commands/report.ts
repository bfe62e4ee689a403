/**
 * `lpt report RUN_DIR... [--split NAME] [--format markdown|csv] [--plot OUT.svg|OUT.png]`: the
 * results table of one or several runs side by side, on one evaluated split (evaluated_split.ts) (runtime/report/table.ts), and optionally the long-tail figure
 * of per-class accuracy against training images per class (runtime/report/plot.ts). The table
 * goes to stdout, messages to stderr, so `lpt report ... --format csv > table.csv` stays clean.
 * Exit codes as in command.ts: 1 for a missing or corrupt results.json, 2 for bad usage.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../../io/atomic.ts';
import { extname, join, resolve } from 'node:path';
import type { Plan } from '../../plan/plan.ts';
import { parseRunResults, type RunResults } from '../../plan/results.ts';
import { openRunDirectory } from '../../runtime/store/run_directory.ts';
import { renderAccuracyPlot } from '../../runtime/report/plot.ts';
import { chooseSplit } from '../../runtime/report/evaluated_split.ts';
import { accuracySeries, parseBoundaryText } from '../../runtime/report/series.ts';
import { buildResultsTable, labelRuns, toCsv, toMarkdown, type LabelledRun } from '../../runtime/report/table.ts';
import { ExitCode, UsageError, parseCommandArgs, type Command, type CommandIO } from './command.ts';
import { svgToPng } from '../render/png.ts';

const usage = `usage: lpt report RUN_DIR... [--split NAME] [--format markdown|csv] [--plot OUT.svg|OUT.png]

Prints the results table of one or several run directories side by side, in the layout of the
papers' tables: method, trainable params (share of the backbone), many, medium, few, overall,
with the shot-group boundaries in a footnote. A RUN_DIR may also be a results .json file.

options:
  --split NAME            the evaluated split to show, for plans with several evaluate blocks
                          (default: each plan's first; the footnotes name the others)
  --format markdown|csv   table format (default markdown; csv has raw numbers)
  --plot OUT.svg|OUT.png  also draw per-class accuracy against training images per class
                          (log scale), one series per run/variant
  -h, --help              this help`;

type Loaded = { ok: true; dir: string; results: RunResults } | { ok: false; message: string };

/** RUN_DIR/results.json, or a results .json file named directly. */
export function loadRun(arg: string, cwd: string): Loaded {
  const absolute = resolve(cwd, arg);
  const isFile = arg.endsWith('.json') && existsSync(absolute) && statSync(absolute).isFile();
  const path = isFile ? arg : join(arg, 'results.json');
  if (!isFile && !existsSync(absolute)) return { ok: false, message: `${arg}: no such run directory` };
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'not found (a run writes it after its first variant finishes)' : `cannot be read (${code})`;
    return { ok: false, message: `${path}: ${why}` };
  }
  const parsed = parseRunResults(text);
  if (!parsed.ok) return { ok: false, message: `${path}: ${parsed.message}` };
  const dir = isFile ? join(path, '..') : arg;
  return { ok: true, dir, results: withPlanSplits(resolve(cwd, dir), parsed.results) };
}

/** results.json of older versions lacks the evaluated split: the run directory's plans still say it. */
function withPlanSplits(dir: string, results: RunResults): RunResults {
  if (results.variants.every((v) => v.split !== undefined)) return results;
  let plans: readonly Plan[];
  try {
    plans = openRunDirectory(dir).plans;
  } catch {
    return results; // a results file alone: the footnote says the split is not recorded
  }
  const splitOf = new Map(plans.map((p) => [p.hash, p.evaluation[0]?.split]));
  return {
    ...results,
    variants: results.variants.map((v) => {
      const split = v.split ?? (v.planHash !== undefined ? splitOf.get(v.planHash) : undefined);
      return split !== undefined ? { ...v, split } : v;
    }),
  };
}

function plotTitle(runs: readonly LabelledRun[]): { title: string; subtitle: string } {
  const boundaries = [...new Set(runs.map((r) => r.results.boundaries))];
  const names = runs.map((r) => r.label).join(' vs ');
  return {
    title: 'Per-class accuracy by training images per class',
    subtitle: `${names}${boundaries.length === 1 && boundaries[0] ? ` · shot groups ${boundaries[0]}` : ''}`,
  };
}

async function writePlot(runs: readonly LabelledRun[], out: string, io: CommandIO): Promise<number> {
  const series = accuracySeries(runs);
  if (series.every((s) => s.points.length === 0)) {
    io.stderr(`lpt report: no per-class results to plot (results.json has no perClass rows)\n`);
    return ExitCode.inputErrors;
  }
  const boundaryTexts = [...new Set(runs.map((r) => r.results.boundaries))];
  const svg = renderAccuracyPlot(series, {
    ...plotTitle(runs),
    ...(boundaryTexts.length === 1 ? { boundaries: parseBoundaryText(boundaryTexts[0]!) } : {}),
  });
  let bytes: string | Uint8Array = svg;
  if (extname(out).toLowerCase() === '.png') {
    const png = await svgToPng(svg);
    if (!png.ok) {
      io.stderr(`lpt report: ${png.message}\n`);
      return ExitCode.inputErrors;
    }
    bytes = png.png;
  }
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
    const loaded = positionals.map((arg) => loadRun(arg, io.cwd));
    const problems = loaded.flatMap((l) => (l.ok ? [] : [l.message]));
    for (const problem of problems) io.stderr(`lpt report: ${problem}\n`);
    if (problems.length > 0) return ExitCode.inputErrors;
    const chosen = loaded.flatMap((l) => (l.ok ? [{ dir: l.dir, choice: chooseSplit(l.results, values.split) }] : []));
    const missing = chosen.flatMap((c) => (c.choice.ok ? [] : [`${c.dir}: ${c.choice.message}`]));
    for (const problem of missing) io.stderr(`lpt report: ${problem}\n`);
    if (missing.length > 0) return ExitCode.inputErrors;
    const runs = labelRuns(chosen.flatMap((c) => (c.choice.ok ? [{ dir: c.dir, results: c.choice.results }] : [])));
    const otherSplits = [...new Set(chosen.flatMap((c) => (c.choice.ok ? c.choice.otherSplits : [])))];
    io.stdout(values.format === 'csv' ? toCsv(runs) : toMarkdown(buildResultsTable(runs, otherSplits)));
    return values.plot === undefined ? ExitCode.ok : writePlot(runs, values.plot, io);
  },
};
