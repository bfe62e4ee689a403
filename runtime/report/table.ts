/**
 * The results table of one or several runs side by side, in the layout of the LPT papers' tables:
 * method, trainable parameters (and share of the backbone), many, medium, few, overall, with the
 * shot-group boundaries in a footnote. Markdown for reading, CSV (raw numbers) for tools. The
 * seeds of one row (seeds.ts) are one markdown row of mean ± std, and one CSV row each.
 */
import { basename } from 'node:path';
import { formatAccuracy, formatMeanStd, formatTrainable } from './format.ts';
import type { ResultAccuracy, RunResults, VariantResults } from '../../plan/results.ts';
import { groupSeeds, meanStd, type ResultRow } from './seeds.ts';

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

const groups = ['many', 'medium', 'few', 'overall'] as const satisfies readonly (keyof ResultAccuracy)[];

/** `otherSplits`: splits the runs also evaluated but the table leaves out (`lpt report --split`). */
export function buildResultsTable(runs: readonly LabelledRun[], otherSplits: readonly string[] = []): ResultsTable {
  const rows = runs.flatMap((run) =>
    groupSeeds(run.results.variants).map((row) => {
      const first = row.members[0]!;
      return [
        `${methodName(run, row.name, runs.length)}${run.results.synthetic ? ' (synthetic)' : ''}`,
        formatTrainable(first.trainableParams, first.backboneParams),
        ...groups.map((g) => accuracyCell(row, g)),
      ];
    }),
  );
  return {
    header: ['Method', 'Trainable params', 'Many', 'Medium', 'Few', 'Overall'],
    rightAligned: [false, true, true, true, true, true],
    rows,
    footnotes: footnotes(runs, otherSplits),
  };
}

function accuracyCell(row: ResultRow, group: (typeof groups)[number]): string {
  if (row.seeds === undefined) return formatAccuracy(row.members[0]!.accuracy[group]);
  const { mean, std } = meanStd(row.members.map((m) => m.accuracy[group]));
  return formatMeanStd(mean, std);
}

function footnotes(runs: readonly LabelledRun[], otherSplits: readonly string[]): string[] {
  const notes = [
    `Top-1 accuracy (%) on ${evaluatedSplits(runs.flatMap((r) => r.results.variants))}. Many/medium/few average the per-class accuracy of the classes in each group; ` +
      'trainable params in parentheses as a share of the frozen backbone; – marks a group without classes.',
  ];
  if (otherSplits.length > 0)
    notes.push(`Also evaluated: ${otherSplits.map((s) => `${s} (\`lpt report --split ${s}\`)`).join(', ')}.`);
  for (const run of runs.filter((r) => r.results.synthetic))
    notes.push(
      `Synthetic: ${runs.length > 1 ? `in ${run.label}, ` : ''}random stand-ins replaced ${run.results.synthetic!.length} missing input(s) (\`lpt run --smoke --synthetic\`; listed in its results.json); these numbers measure nothing.`,
    );
  const seedNote = seedsFootnote(runs);
  if (seedNote) notes.push(seedNote);
  const distinct = [...new Set(runs.map((r) => r.results.boundaries))];
  if (distinct.length === 1) {
    notes.push(`Shot groups by training images per class: ${distinct[0] || 'not recorded'}.`);
  } else {
    for (const run of runs) notes.push(`Shot groups of ${run.label}: ${run.results.boundaries || 'not recorded'}.`);
  }
  return notes;
}

/** "the test set", "the val split", "the splits test and val"; results.json of older versions did not record it. */
function evaluatedSplits(variants: readonly VariantResults[]): string {
  const splits = [...new Set(variants.map((v) => v.split ?? '(not recorded)'))];
  const named = (s: string) =>
    s === 'test'
      ? 'the test set'
      : s === '(not recorded)'
        ? 'the evaluated split (not recorded in results.json)'
        : `the ${s} split`;
  if (splits.length === 1) return named(splits[0]!);
  return `the splits ${splits.slice(0, -1).join(', ')} and ${splits.at(-1)}`;
}

/** Which seeds the mean ± std rows average; undefined when no row has seeds. */
function seedsFootnote(runs: readonly LabelledRun[]): string | undefined {
  const seeded = runs.flatMap((run) =>
    groupSeeds(run.results.variants)
      .filter((row) => row.seeds !== undefined)
      .map((row) => ({ name: methodName(run, row.name, runs.length), seeds: row.seeds! })),
  );
  if (seeded.length === 0) return undefined;
  const lead = 'Mean ± sample standard deviation (n − 1) over';
  const list = (seeds: readonly number[]) => seeds.join(', ');
  const tail = `${seeded.some((r) => r.seeds.length === 1) ? 'a row of one seed shows its value alone; ' : ''}the CSV output has each seed.`;
  if (new Set(seeded.map((r) => list(r.seeds))).size === 1) {
    const seeds = seeded[0]!.seeds;
    return `${lead} ${seeds.length} seed${seeds.length === 1 ? '' : 's'} (${list(seeds)}); ${tail}`;
  }
  return `${lead} the seeds of each row: ${seeded.map((r) => `${r.name} ${r.seeds.length} (${list(r.seeds)})`).join('; ')}; ${tail}`;
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

/**
 * One row per variant with raw numbers (empty cell for a group without classes); when any run
 * has seeds, the columns row and seed name each seed's row and seed (empty for other variants).
 */
export function toCsv(runs: readonly LabelledRun[]): string {
  const seeded = runs.some((run) => run.results.variants.some((v) => v.row !== undefined));
  const synthetic = runs.some((run) => run.results.synthetic !== undefined);
  const header = [
    'run',
    'variant',
    'trainable_params',
    'backbone_params',
    'many',
    'medium',
    'few',
    'overall',
    'boundaries',
    ...(seeded ? ['row', 'seed'] : []),
    ...(synthetic ? ['synthetic'] : []),
  ];
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
      ...(seeded ? [v.row ?? '', v.seed ?? ''] : []),
      ...(synthetic ? [run.results.synthetic ? 'yes' : ''] : []),
    ]),
  );
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}
