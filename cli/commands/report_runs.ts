/**
 * The runs `lpt report` shows, as `lpt report`, `lpt report --html` and `lpt view` all read them:
 * each RUN_DIR's results.json (or a results .json named directly), on the chosen evaluated split,
 * labelled for the table. One path from the files to the numbers, so every view prints the same.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plan } from '../../plan/plan.ts';
import { parseRunResults, type RunResults } from '../../plan/results.ts';
import { openRunDirectory } from '../../runtime/store/run_directory.ts';
import { chooseSplit } from '../../runtime/report/evaluated_split.ts';
import { labelRuns, type LabelledRun } from '../../runtime/report/table.ts';

export type Loaded = { ok: true; dir: string; results: RunResults } | { ok: false; message: string };

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

export type ReportRuns =
  | { readonly ok: true; readonly runs: LabelledRun[]; readonly otherSplits: string[] }
  | { readonly ok: false; readonly problems: string[] };

/** The runs named by `args` on `split` (default: each plan's first), or every problem found, each naming its file. */
export function reportRuns(args: readonly string[], cwd: string, split: string | undefined): ReportRuns {
  const loaded = args.map((arg) => loadRun(arg, cwd));
  const problems = loaded.flatMap((l) => (l.ok ? [] : [l.message]));
  if (problems.length > 0) return { ok: false, problems };
  const chosen = loaded.flatMap((l) => (l.ok ? [{ dir: l.dir, choice: chooseSplit(l.results, split) }] : []));
  const missing = chosen.flatMap((c) => (c.choice.ok ? [] : [`${c.dir}: ${c.choice.message}`]));
  if (missing.length > 0) return { ok: false, problems: missing };
  const runs = labelRuns(chosen.flatMap((c) => (c.choice.ok ? [{ dir: c.dir, results: c.choice.results }] : [])));
  const otherSplits = [...new Set(chosen.flatMap((c) => (c.choice.ok ? c.choice.otherSplits : [])))];
  return { ok: true, runs, otherSplits };
}
