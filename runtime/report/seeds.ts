/**
 * Rows of several seeds: the variants of one run that differ only by seed (the plan's
 * `replicateOf`, written to results.json as `row` and `seed`) become one table row with the mean
 * and the sample standard deviation (n - 1, as numpy's std(ddof=1) and torch.std do) of each
 * accuracy. Variants without `row` stay rows of their own, exactly as before seeds existed.
 */
import type { VariantResults } from '../../plan/results.ts';

export interface ResultRow {
  /** The row name: the variant's, or for seeds the name they share ("LPT"). */
  readonly name: string;
  /** The variants of the row: one, or one per seed in run order. */
  readonly members: readonly VariantResults[];
  /** The seeds in run order; undefined for a row that is not a seed sweep. */
  readonly seeds: readonly number[] | undefined;
}

/** The rows of one run, in the order their first variant ran. */
export function groupSeeds(variants: readonly VariantResults[]): ResultRow[] {
  const rows: { name: string; members: VariantResults[]; seeds: number[] | undefined }[] = [];
  const byRow = new Map<string, (typeof rows)[number]>();
  for (const v of variants) {
    if (v.row === undefined) {
      rows.push({ name: v.variant, members: [v], seeds: undefined });
      continue;
    }
    const existing = byRow.get(v.row);
    if (existing) {
      existing.members.push(v);
      existing.seeds!.push(v.seed ?? NaN);
      continue;
    }
    const row = { name: v.row, members: [v], seeds: [v.seed ?? NaN] };
    byRow.set(v.row, row);
    rows.push(row);
  }
  return rows;
}

/** Mean and sample standard deviation (n - 1); std is NaN below two values. NaN values propagate. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, std: NaN };
  const variance = values.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { mean, std: Math.sqrt(variance) };
}
