/**
 * The run directory (docs/RUN_DIRECTORY.md): the plans, the results of the finished variants
 * and each variant's checkpoints. run.json lists the variants in order so `--resume` can pick
 * up where the run stopped.
 */
import { UserError } from '../errors.ts';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { mapPlanInputs } from '../../plan/paths.ts';
import type { Plan } from '../../plan/plan.ts';
import { describePlanErrors, validatePlan } from '../../plan/validate.ts';
import { writeFileAtomic } from '../../io/atomic.ts';
import { parseRunResults, serializeRunResults, type VariantResults } from '../../plan/results.ts';
import type { VariantResult } from '../run/run_plan.ts';

export interface RunIndex {
  readonly experiment: string;
  readonly source: string;
  /** Variant display name and the slug used for files, in run order. */
  readonly variants: readonly { readonly name: string; readonly slug: string; readonly planHash: string }[];
  /** Checkpoints kept per phase, when chosen with --keep-checkpoints. */
  readonly keepCheckpoints?: number;
  /** The working directory the run started in: the plans' relative input paths are relative to it. */
  readonly workdir?: string;
}

/**
 * The plan's row name in results and reports: the variant's name, else the experiment's label or
 * name; one seed of a sweep adds its seed ("LPT, seed=1", as a variant's name does).
 */
export function variantName(plan: Plan): string {
  if (plan.variant) return plan.variant.name;
  return plan.replicateOf !== undefined ? `${plan.replicateOf}, seed=${plan.seed}` : (plan.label ?? plan.experiment);
}

export function slug(plan: Plan): string {
  return plan.name.replace(/[^A-Za-z0-9_.-]+/g, '_');
}

export function timestamp(date = new Date()): string {
  return date
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, '');
}

/**
 * Creates a new, empty run directory `base` (exclusively: never one that exists), or `base_2`,
 * `base_3`, ... when another run took that name first (runs started in the same second).
 */
export function reserveRunDirectory(base: string): string {
  for (let n = 1; ; n++) {
    const dir = n === 1 ? base : `${base}_${n}`;
    try {
      mkdirSync(dirname(dir), { recursive: true });
      mkdirSync(dir);
      return dir;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST')
        throw new RunDirectoryError(`cannot create the run directory ${dir} (${code ?? String(e)})`);
    }
  }
}

export function createRunDirectory(dir: string, plans: readonly Plan[], keepCheckpoints?: number): RunIndex {
  mkdirSync(join(dir, 'plans'), { recursive: true });
  const first = plans[0]!;
  const index: RunIndex = {
    experiment: first.experiment,
    source: first.source,
    variants: plans.map((p) => ({ name: variantName(p), slug: slug(p), planHash: p.hash })),
    ...(keepCheckpoints !== undefined ? { keepCheckpoints } : {}),
    workdir: process.cwd(),
  };
  for (const plan of plans)
    writeFileAtomic(join(dir, 'plans', `${slug(plan)}.json`), `${JSON.stringify(plan, null, 2)}\n`);
  writeFileAtomic(join(dir, 'run.json'), `${JSON.stringify(index, null, 2)}\n`);
  return index;
}

export class RunDirectoryError extends UserError {
  override readonly name = 'RunDirectoryError';
}

function readJson<T>(path: string): T {
  if (!existsSync(path))
    throw new RunDirectoryError(`${path}: no such file; is this a run directory made by 'lpt run'?`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new RunDirectoryError(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * The run directory's index, plans and finished results. With `resuming`, the plans' relative
 * input paths are anchored to the directory the run started in, so a run resumes from anywhere
 * (a scheduler's requeue may start in another directory); a queued run's plans stay relative,
 * since each worker resolves them under its own data root.
 */
export function openRunDirectory(
  dir: string,
  resuming = false,
): { index: RunIndex; plans: Plan[]; results: VariantResults[] } {
  const { index, plans } = openRunPlans(dir, resuming);
  const resultsPath = join(dir, 'results.json');
  if (!existsSync(resultsPath)) return { index, plans, results: [] };
  const parsed = parseRunResults(readFileSync(resultsPath, 'utf8'));
  if (!parsed.ok) throw new RunDirectoryError(`${resultsPath}: ${parsed.message}`);
  return { index, plans, results: [...parsed.results.variants] };
}

/** The run directory's index and plans alone (`lpt view` shows them whatever state results.json is in). */
export function openRunPlans(dir: string, resuming = false): { index: RunIndex; plans: Plan[] } {
  const index = readJson<RunIndex>(join(dir, 'run.json'));
  const anchor = (plan: Plan) => {
    const workdir = index.workdir;
    return resuming && workdir !== undefined
      ? mapPlanInputs(plan, (path) => (isAbsolute(path) ? path : resolve(workdir, path)))
      : plan;
  };
  const plans = index.variants.map((v) => {
    const path = join(dir, 'plans', `${v.slug}.json`);
    const checked = validatePlan(readJson<unknown>(path));
    if (!checked.ok) throw new RunDirectoryError(`${path}: not a valid plan: ${describePlanErrors(checked.errors)}`);
    return anchor(checked.plan);
  });
  return { index, plans };
}

export function checkpointDir(dir: string, plan: Plan): string {
  return join(dir, 'checkpoints', slug(plan));
}

/**
 * A finished variant of `plan` in the results.json layout (NaN accuracies are written as null):
 * one entry per evaluate block, the first block's first (`lpt report` shows it by default).
 */
export function variantResults(r: VariantResult, plan: Plan): VariantResults[] {
  return r.evaluations.map(({ split, accuracy, perClass }) => ({
    variant: r.variant,
    planHash: r.planHash,
    trainableParams: r.trainableParams,
    backboneParams: r.backboneParams,
    accuracy,
    trainCounts: r.trainCounts,
    perClass: perClass.total.map((testImages, c) => {
      const correct = perClass.correct[c] ?? 0;
      return {
        class: c,
        trainImages: r.trainCounts[c] ?? 0,
        testImages,
        correct,
        accuracy: testImages === 0 ? NaN : (100 * correct) / testImages,
      };
    }),
    seconds: r.seconds,
    ...(r.gpuPeakBytes !== undefined ? { gpuPeakBytes: r.gpuPeakBytes } : {}),
    split,
    ...(plan.replicateOf !== undefined ? { row: plan.replicateOf, seed: plan.seed } : {}),
  }));
}

/** results.json and per_class.csv, rewritten (atomically) after every finished variant. */
export function writeResults(
  dir: string,
  index: RunIndex,
  boundaries: string,
  results: readonly VariantResults[],
  synthetic?: readonly string[],
): void {
  writeFileAtomic(
    join(dir, 'results.json'),
    serializeRunResults({
      experiment: index.experiment,
      boundaries,
      variants: results,
      ...(synthetic === undefined ? {} : { synthetic }),
    }),
  );
  const rows = results.flatMap((r) =>
    r.perClass.map((c) =>
      [
        JSON.stringify(r.variant),
        c.class,
        c.trainImages,
        c.testImages,
        c.correct,
        Number.isNaN(c.accuracy) ? '' : c.accuracy.toFixed(4),
      ].join(','),
    ),
  );
  writeFileAtomic(
    join(dir, 'per_class.csv'),
    ['variant,class,train_images,test_images,correct,accuracy', ...rows, ''].join('\n'),
  );
}
