/**
 * The benchmark's output: one record per measurement, printed as JSON lines (--json) or as a
 * table with the lpt/torch ratio (and, with --compare, each lever choice's gain over the first).
 */
import type { Phase } from './config.ts';

export interface Measurement {
  readonly impl: 'lpt' | 'torch';
  readonly phase: Phase;
  readonly batch: number;
  readonly img_per_s: number;
  readonly gflops: number;
  readonly seconds_per_step: number;
  readonly steps: number;
  readonly rounds: number;
  /** The bench configuration (bench/config.ts). */
  readonly config?: string;
  /** lpt only: the lever settings, the backend, tensor growth over the timed steps. */
  readonly levers?: Readonly<Record<string, string>>;
  readonly backend?: string;
  readonly tensor_growth?: number;
  /** lpt training phases with --micro-batch only: images per pass of the step. */
  readonly micro_batch?: number;
  /** lpt only: img/s over torch's in the same invocation, when torch ran. */
  readonly ratio_to_torch?: number;
  /** lpt with --compare only: img/s over the first choice's. */
  readonly gain?: number;
}

// Three significant digits below 100 (a ViT-B/16 step on a CPU is well under 1 img/s).
const fmt = (x: number, digits = 1) =>
  (Math.abs(x) >= 100 || x === 0 ? x.toFixed(digits) : x.toPrecision(3)).padStart(8);

function leverLabel(m: Measurement): string {
  return m.levers === undefined
    ? ''
    : Object.entries(m.levers)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
}

export function formatLine(m: Measurement): string {
  const extra = [
    m.ratio_to_torch === undefined ? '' : `  lpt/torch ${m.ratio_to_torch.toFixed(2)}`,
    m.gain === undefined ? '' : `  gain ${m.gain.toFixed(2)}x`,
    m.tensor_growth ? `  TENSORS GREW BY ${m.tensor_growth}` : '',
  ].join('');
  return `${m.impl.padEnd(5)} phase ${m.phase.padEnd(5)} batch ${String(m.batch).padStart(4)} ${fmt(m.img_per_s)} img/s ${fmt(m.gflops)} GFLOP/s  ${leverLabel(m)}${extra}`;
}

/** The final table: per (phase, batch) the lpt and torch throughput and their ratio. */
export function formatTable(ms: readonly Measurement[], compare: string | null): string {
  const head = [
    'phase  batch   lpt img/s  torch img/s  lpt/torch   lpt GFLOP/s  torch GFLOP/s',
    compare === null ? '' : `  ${compare}     gain`,
  ];
  const rows = [head.join('')];
  for (const lpt of ms.filter((m) => m.impl === 'lpt')) {
    const torch = ms.find((m) => m.impl === 'torch' && m.phase === lpt.phase && m.batch === lpt.batch);
    const cells = [
      lpt.phase.padEnd(5),
      String(lpt.batch).padStart(6),
      fmt(lpt.img_per_s, 1).padStart(11),
      (torch ? fmt(torch.img_per_s, 1) : '-').padStart(12),
      (lpt.ratio_to_torch === undefined ? '-' : lpt.ratio_to_torch.toFixed(2)).padStart(10),
      fmt(lpt.gflops, 1).padStart(13),
      (torch ? fmt(torch.gflops, 1) : '-').padStart(14),
    ];
    if (compare !== null) cells.push(`  ${(lpt.levers?.[compare] ?? '').padEnd(9)}`, `${(lpt.gain ?? 1).toFixed(2)}x`);
    rows.push(cells.join(' '));
  }
  return rows.join('\n');
}
