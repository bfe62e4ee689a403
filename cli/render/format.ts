/**
 * Text pieces shared by the plain-line renderer and the Ink UI: durations, learning rates,
 * losses, byte counts, the position of a step, and the small shot-group table.
 */
import type { ShotAccuracy, StepEvent } from '../../runtime/events.ts';
import { formatAccuracy } from '../../runtime/report/format.ts';

/** 0:07, 3:05, 1:02:09 (clock style, so widths stay stable while a run progresses). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function formatLr(lr: number): string {
  return lr === 0 ? '0' : lr.toExponential(2);
}

export function formatLoss(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(4);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/**
 * Step events count epochs and steps from 0 (the index of the step just finished); people count
 * from 1. This is the one place that converts, so "epoch 3/10 · step 40/40" is the end of epoch 3.
 */
export function stepPosition(event: Pick<StepEvent, 'epoch' | 'step' | 'stepsPerEpoch'>, epochs: number) {
  return { epoch: event.epoch + 1, epochs, step: event.step + 1, steps: event.stepsPerEpoch };
}

/** Loss terms in a stable order: `total` first, then the others as the runtime listed them. */
export function orderedLosses(losses: Readonly<Record<string, number>>): [string, number][] {
  const entries = Object.entries(losses);
  return [...entries.filter(([k]) => k === 'total'), ...entries.filter(([k]) => k !== 'total')];
}

export function formatLosses(losses: Readonly<Record<string, number>>): string {
  return orderedLosses(losses)
    .map(([name, value]) => `${name} ${formatLoss(value)}`)
    .join('  ');
}

const groups = ['overall', 'many', 'medium', 'few'] as const;

/** Two aligned lines: the group names and the accuracies (percent). */
export function shotTableLines(accuracy: ShotAccuracy): [string, string] {
  const cells = groups.map((g) => [g, formatAccuracy(accuracy[g])] as const);
  const widths = cells.map(([name, value]) => Math.max(name.length, value.length));
  return [
    cells.map(([name], i) => name.padStart(widths[i]!)).join('  '),
    cells.map(([, value], i) => value.padStart(widths[i]!)).join('  '),
  ];
}
