/**
 * The loss terms and learning rate over optimiser steps of each variant of a run, from its
 * events.jsonl, for the report's training curves. Thinned to at most `maxPoints` steps per
 * variant (every k-th step, the last one kept), so a long run's report stays small.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEventLines } from './run_events.ts';

export interface TrainingCurve {
  readonly variant: string;
  /** Optimiser step of the variant (1-based, across its phases). */
  readonly steps: readonly number[];
  /** Each loss term by name; null where a step did not have the term (another phase's loss). */
  readonly losses: Readonly<Record<string, readonly (number | null)[]>>;
  readonly lr: readonly number[];
}

const maxPoints = 600;

/** The curves of the run in `dir`, in the order its variants first stepped; [] without events.jsonl. */
export function trainingCurves(dir: string): TrainingCurve[] {
  const path = join(dir, 'events.jsonl');
  if (!existsSync(path)) return [];
  const byVariant = new Map<string, { step: number; losses: Record<string, number>; lr: number }[]>();
  for (const e of parseEventLines(readFileSync(path), path).events) {
    if (e.type !== 'step') continue;
    const list = byVariant.get(e.variant) ?? [];
    byVariant.set(e.variant, list);
    // A resumed run repeats the steps after its checkpoint: the later ones replace them.
    const step = e.runStep ?? list.length + 1;
    while (list.length > 0 && list.at(-1)!.step >= step) list.pop();
    list.push({ step, losses: { ...e.losses }, lr: e.lr });
  }
  return [...byVariant].map(([variant, all]) => {
    const stride = Math.ceil(all.length / maxPoints);
    const kept = all.filter((_, i) => i % stride === 0 || i === all.length - 1);
    const terms = [...new Set(kept.flatMap((s) => Object.keys(s.losses)))];
    return {
      variant,
      steps: kept.map((s) => s.step),
      losses: Object.fromEntries(terms.map((t) => [t, kept.map((s) => s.losses[t] ?? null)])),
      lr: kept.map((s) => s.lr),
    };
  });
}
