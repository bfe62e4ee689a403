/**
 * Per-class accuracy against training images per class, one series per run and table row, for
 * the long-tail plot: every class is a point, and a trend line runs through the mean accuracy at
 * each training count (or per log-spaced bin when there are too many distinct counts to read a
 * line). The seeds of one row (seeds.ts) are one series: each class's accuracy averaged over
 * them, as the table averages the groups.
 */
import type { PerClassRow } from '../../plan/results.ts';
import type { Bound } from '../eval/shots.ts';
import { groupSeeds, type ResultRow } from './seeds.ts';
import { methodName, type LabelledRun } from './table.ts';

export interface PlotPoint {
  readonly count: number;
  readonly accuracy: number;
}

export interface AccuracySeries {
  readonly name: string;
  /** One point per class with test images and at least one training image. */
  readonly points: readonly PlotPoint[];
  /** Sorted by count. */
  readonly trend: readonly PlotPoint[];
}

/** Above this many distinct counts the trend averages log-spaced bins instead. */
const maxTrendPoints = 30;
const binCount = 20;

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function trendLine(points: readonly PlotPoint[]): PlotPoint[] {
  const byCount = new Map<number, number[]>();
  for (const p of points) byCount.set(p.count, [...(byCount.get(p.count) ?? []), p.accuracy]);
  const exact = [...byCount.entries()]
    .sort(([a], [b]) => a - b)
    .map(([count, accs]) => ({ count, accuracy: mean(accs) }));
  if (exact.length <= maxTrendPoints) return exact;
  const logs = points.map((p) => Math.log(p.count));
  const lo = Math.min(...logs);
  const width = (Math.max(...logs) - lo) / binCount || 1;
  const bins: PlotPoint[][] = Array.from({ length: binCount }, () => []);
  points.forEach((p, i) => bins[Math.min(binCount - 1, Math.floor((logs[i]! - lo) / width))]!.push(p));
  return bins
    .filter((bin) => bin.length > 0)
    .map((bin) => ({
      count: Math.exp(mean(bin.map((p) => Math.log(p.count)))),
      accuracy: mean(bin.map((p) => p.accuracy)),
    }));
}

/** A class's row of each member (seed) of a table row; its point averages them (training counts included, equal unless a seed resamples the data). */
function rowPoints(row: ResultRow): PlotPoint[] {
  const byClass = new Map<number, PerClassRow[]>();
  for (const member of row.members)
    for (const c of member.perClass) byClass.set(c.class, [...(byClass.get(c.class) ?? []), c]);
  return [...byClass.values()]
    .filter(
      (rows) =>
        rows.length === row.members.length &&
        rows.every((c) => c.testImages > 0 && c.trainImages > 0 && Number.isFinite(c.accuracy)),
    )
    .map((rows) => ({ count: mean(rows.map((c) => c.trainImages)), accuracy: mean(rows.map((c) => c.accuracy)) }));
}

export function accuracySeries(runs: readonly LabelledRun[]): AccuracySeries[] {
  return runs.flatMap((run) =>
    groupSeeds(run.results.variants).map((row) => {
      const points = rowPoints(row);
      const name = methodName(run, row.name, runs.length);
      return {
        name: row.seeds ? `${name} (mean of ${row.seeds.length} seeds)` : name,
        points,
        trend: trendLine(points),
      };
    }),
  );
}

/** Reads "many: n>100, few: n<=20, medium: the rest" (runtime/eval/shots.ts describeBoundaries) back. */
export function parseBoundaryText(text: string): { many?: Bound; few?: Bound } {
  const read = (group: string): Bound | undefined => {
    const match = new RegExp(`${group}:\\s*n\\s*(>=|<=|>|<)\\s*(\\d+(?:\\.\\d+)?)`).exec(text);
    return match ? { op: match[1] as Bound['op'], value: Number(match[2]) } : undefined;
  };
  const many = read('many');
  const few = read('few');
  return { ...(many ? { many } : {}), ...(few ? { few } : {}) };
}
