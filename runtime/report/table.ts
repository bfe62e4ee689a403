/**
 * The results table of one or several runs side by side, in the layout of the LPT papers' tables:
 * method, trainable parameters (and share of the backbone), many, medium, few, overall, with the
 * shot-group boundaries in a footnote. Markdown for reading, CSV (raw numbers) for tools.
 */
import { basename } from 'node:path';
import { formatAccuracy, formatTrainable } from './format.ts';
import type { RunResults } from '../../plan/results.ts';

export interface LabelledRun {
  /** How the run is named in the table and the plot legend. */
  readonly label: string;
  readonly dir: string;
  readonly results: RunResults;
}

export interface ResultsTable {
  readonly header: readonly string[];
  readonly rightAligned: readonly boolean[];
  readonly rows: readonly (readonly string[])[];
  readonly footnotes: readonly string[];
}

/** Names runs by experiment; runs of the same experiment add their directory name, then path. */
export function labelRuns(runs: readonly { dir: string; results: RunResults }[]): LabelledRun[] {
  const count = (key: (r: { dir: string; results: RunResults }) => string, value: string) =>
    runs.filter((r) => key(r) === value).length;
  const byExperiment = (r: { results: RunResults }) => r.results.experiment;
  const byExperimentAndDir = (r: { dir: string; results: RunResults }) =>
    `${r.results.experiment} (${basename(r.dir)})`;
  return runs.map((run) => {
    let label = byExperiment(run);
    if (count(byExperiment, label) > 1) label = byExperimentAndDir(run);
    if (count(byExperimentAndDir, label) > 1) label = run.dir;
    return { label, dir: run.dir, results: run.results };
  });
}

/** Series/row name: the variant alone for one run, "run / variant" for several. */
export function methodName(run: LabelledRun, variant: string, runCount: number): string {
  return runCount > 1 ? `${run.label} / ${variant}` : variant;
}

export function buildResultsTable(runs: readonly LabelledRun[]): ResultsTable {
  const rows = runs.flatMap((run) =>
    run.results.variants.map((v) => [
      methodName(run, v.variant, runs.length),
      formatTrainable(v.trainableParams, v.backboneParams),
      formatAccuracy(v.accuracy.many),
      formatAccuracy(v.accuracy.medium),
      formatAccuracy(v.accuracy.few),
      formatAccuracy(v.accuracy.overall),
    ]),
  );
  return {
    header: ['Method', 'Trainable params', 'Many', 'Medium', 'Few', 'Overall'],
    rightAligned: [false, true, true, true, true, true],
    rows,
    footnotes: footnotes(runs),
  };
}

function footnotes(runs: readonly LabelledRun[]): string[] {
  const notes = [
    'Top-1 accuracy (%) on the test set. Many/medium/few average the per-class accuracy of the classes in each group; ' +
      'trainable params in parentheses as a share of the frozen backbone; – marks a group without classes.',
  ];
  const distinct = [...new Set(runs.map((r) => r.results.boundaries))];
  if (distinct.length === 1) {
    notes.push(`Shot groups by training images per class: ${distinct[0] || 'not recorded'}.`);
  } else {
    for (const run of runs) notes.push(`Shot groups of ${run.label}: ${run.results.boundaries || 'not recorded'}.`);
  }
  return notes;
}

function escapeCell(cell: string): string {
  return cell.replaceAll('|', '\\|');
}

/** A GitHub-flavoured markdown table, columns padded so it also reads well as plain text. */
export function toMarkdown(table: ResultsTable): string {
  const cells = [table.header, ...table.rows].map((row) => row.map(escapeCell));
  const widths = table.header.map((_, c) => Math.max(3, ...cells.map((row) => (row[c] ?? '').length)));
  const pad = (cell: string, c: number) =>
    table.rightAligned[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!);
  const line = (row: readonly string[]) => `| ${row.map((cell, c) => pad(cell, c)).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (table.rightAligned[c] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  const [header, ...rows] = cells;
  // Footnotes as separate paragraphs: consecutive markdown lines would merge into one.
  return [[line(header!), rule, ...rows.map(line)].join('\n'), ...table.footnotes].join('\n\n') + '\n';
}

function csvCell(value: string | number): string {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One row per variant with raw numbers (empty cell for a group without classes). */
export function toCsv(runs: readonly LabelledRun[]): string {
  const header = ['run', 'variant', 'trainable_params', 'backbone_params', 'many', 'medium', 'few', 'overall', 'boundaries'];
  const rows = runs.flatMap((run) =>
    run.results.variants.map((v) => [
      run.label,
      v.variant,
      v.trainableParams,
      v.backboneParams,
      v.accuracy.many,
      v.accuracy.medium,
      v.accuracy.few,
      v.accuracy.overall,
      run.results.boundaries,
    ]),
  );
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}
