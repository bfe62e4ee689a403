/**
 * What the report page shows of one or several runs, computed once in Node by the code of
 * `lpt report` (the same table cells, the same long-tail SVG) and handed to the page as JSON:
 * by `lpt view`'s server, or inlined into `lpt report --html`. The page only lays it out.
 */
import { resolve } from 'node:path';
import type { Plan } from '../../plan/plan.ts';
import type { PerClassRow } from '../../plan/results.ts';
import { longTailFigure } from '../../runtime/report/long_tail_figure.ts';
import { buildResultsTable, methodName, type LabelledRun, type ResultsTable } from '../../runtime/report/table.ts';
import { openRunPlans } from '../../runtime/store/run_directory.ts';
import { settingsTable, type SettingsTable } from './plan_settings.ts';
import { trainingCurves, type TrainingCurve } from './training_curves.ts';

export interface PerClassTable {
  /** "VPT", or "run / VPT" for several runs; a seed's entry keeps its seed ("LPT, seed=1"). */
  readonly name: string;
  readonly split: string | undefined;
  readonly rows: readonly PerClassRow[];
}

export interface ReportModel {
  readonly title: string;
  readonly runs: readonly { readonly label: string; readonly dir: string }[];
  readonly table: ResultsTable;
  /** The long-tail figure (SVG text), undefined without per-class results. */
  readonly longTail: string | undefined;
  readonly perClass: readonly PerClassTable[];
  readonly settings: SettingsTable;
  /** Loss terms and learning rate over steps, per run and variant (named as in the table). */
  readonly curves: readonly TrainingCurve[];
  /** What could not be shown, and why (a results file without its run directory's plans). */
  readonly notes: readonly string[];
}

/** `runs` and `otherSplits` as reportRuns (cli/commands/report_runs.ts) chose them; run dirs relative to `cwd`. */
export function reportModel(runs: readonly LabelledRun[], otherSplits: readonly string[], cwd: string): ReportModel {
  const notes: string[] = [];
  const columns: string[] = [];
  const plans: Plan[] = [];
  for (const run of runs) {
    try {
      const opened = openRunPlans(resolve(cwd, run.dir));
      opened.index.variants.forEach((v, i) => {
        columns.push(methodName(run, v.name, runs.length));
        plans.push(opened.plans[i]!);
      });
    } catch (error) {
      notes.push(`The settings of ${run.label} are not shown: ${(error as Error).message}`);
    }
  }
  return {
    title: `lpt report: ${runs.map((r) => r.label).join(' vs ')}`,
    runs: runs.map((r) => ({ label: r.label, dir: r.dir })),
    table: buildResultsTable(runs, otherSplits),
    longTail: longTailFigure(runs),
    perClass: runs.flatMap((run) =>
      run.results.variants.map((v) => ({
        name: methodName(run, v.variant, runs.length),
        split: v.split,
        rows: v.perClass,
      })),
    ),
    settings: settingsTable(columns, plans),
    curves: runs.flatMap((run) =>
      trainingCurves(resolve(cwd, run.dir)).map((c) => ({ ...c, variant: methodName(run, c.variant, runs.length) })),
    ),
    notes,
  };
}
