/**
 * Shot-group accuracy: overall, many, medium and few, grouped by each class's number of
 * training images. The boundaries are data (the plan's), printed with every table, because
 * papers disagree on where a class with exactly 20 images belongs (the LPT code puts it in few).
 */
import type { ShotAccuracy } from '../events.ts';

export type ShotGroup = 'many' | 'medium' | 'few';

export interface Bound {
  readonly op: '>' | '>=' | '<' | '<=';
  readonly value: number;
}

export interface ShotBoundaries {
  readonly many: Bound;
  readonly few: Bound;
}

function satisfies(n: number, bound: Bound): boolean {
  switch (bound.op) {
    case '>':
      return n > bound.value;
    case '>=':
      return n >= bound.value;
    case '<':
      return n < bound.value;
    case '<=':
      return n <= bound.value;
  }
}

/** Many wins over few if a class satisfies both (only possible with odd boundaries). */
export function shotGroupOf(trainCount: number, boundaries: ShotBoundaries): ShotGroup {
  if (satisfies(trainCount, boundaries.many)) return 'many';
  if (satisfies(trainCount, boundaries.few)) return 'few';
  return 'medium';
}

export function describeBoundaries(b: ShotBoundaries): string {
  return `many: n${b.many.op}${b.many.value}, few: n${b.few.op}${b.few.value}, medium: the rest`;
}

export interface PerClassResult {
  readonly correct: readonly number[];
  readonly total: readonly number[];
}

/**
 * Accuracies in percent. Overall is pooled top-1 accuracy over all test images; a group's
 * accuracy is the mean of its classes' accuracies, as OLTR's shot_acc computes it. The LPT
 * authors' code pools the group's test images instead (correct / total over the group); the two
 * agree whenever the group's classes have equally many test images (every balanced test set of
 * the papers). A group with no classes reports NaN; classes without test images are left out.
 */
export function shotAccuracy(
  perClass: PerClassResult,
  trainCounts: readonly number[],
  boundaries: ShotBoundaries,
): ShotAccuracy {
  const groups: Record<ShotGroup, number[]> = { many: [], medium: [], few: [] };
  let correct = 0;
  let total = 0;
  perClass.total.forEach((classTotal, c) => {
    if (classTotal === 0) return;
    const classCorrect = perClass.correct[c] ?? 0;
    correct += classCorrect;
    total += classTotal;
    groups[shotGroupOf(trainCounts[c] ?? 0, boundaries)].push((100 * classCorrect) / classTotal);
  });
  const mean = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    overall: total === 0 ? NaN : (100 * correct) / total,
    many: mean(groups.many),
    medium: mean(groups.medium),
    few: mean(groups.few),
  };
}

export function shotCounts(trainCounts: readonly number[], boundaries: ShotBoundaries): Record<ShotGroup, number> {
  const counts = { many: 0, medium: 0, few: 0 };
  for (const n of trainCounts) counts[shotGroupOf(n, boundaries)] += 1;
  return counts;
}
