/**
 * The benchmark's output: one record per measurement, printed as JSON lines (--json) or as a
 * table with the ratio of lpt to the faster PyTorch peer (and, with --compare, each lever
 * choice's gain over the first).
 */
import type { Phase } from './config.ts';

export interface Measurement {
  readonly impl: 'lpt' | 'torch';
  readonly phase: Phase;
  readonly batch: number;
  readonly img_per_s: number;
  /** Nominal GFLOP/s: the plain step's FLOPs (bench/flops.ts), the same count for every implementation. */
  readonly gflops: number;
  readonly seconds_per_step: number;
  /** CPU seconds of the process (all its threads) per step. */
  readonly cpu_seconds_per_step?: number;
  readonly steps: number;
  readonly rounds: number;
  /** The 1-minute load average when the row's rounds ended. */
  readonly load?: number;
  /** The bench configuration (bench/config.ts). */
  readonly config?: string;
  /** torch only: which peer (model, allocator, wait policy). */
  readonly peer?: string;
  /** lpt only: GFLOP/s of the work lpt executes (bench/flops.ts) and its share of the machine's sgemm. */
  readonly executed_gflops?: number;
  readonly sgemm_share?: number;
  /** lpt only: the lever settings, the backend, tensor growth over the timed steps. */
  readonly levers?: Readonly<Record<string, string>>;
  readonly backend?: string;
  readonly tensor_growth?: number;
  /** lpt training phases with --micro-batch only: images per pass of the step. */
  readonly micro_batch?: number;
  /** lpt only: img/s over the faster peer's in the same invocation, and which peer that was. */
  readonly ratio_to_torch?: number;
  readonly torch_peer?: string;
  /** lpt only: the faster peer's CPU seconds per step over lpt's (less disturbed by the load than img/s). */
  readonly cpu_ratio_to_torch?: number;
  /** lpt with --compare only: img/s over the first choice's. */
  readonly gain?: number;
}

// Three significant digits below 100 (a ViT-B/16 step on a CPU is well under 1 img/s).
const fmt = (x: number, digits = 1) =>
  (Math.abs(x) >= 100 || x === 0 ? x.toFixed(digits) : x.toPrecision(3)).padStart(8);

const percent = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(0)}%`);

function leverLabel(m: Measurement): string {
  return m.levers === undefined
    ? ''
    : Object.entries(m.levers)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
}

export function formatLine(m: Measurement): string {
  const extra = [
    m.executed_gflops === undefined
      ? ''
      : ` executed ${fmt(m.executed_gflops).trim()} (${percent(m.sgemm_share)} of sgemm)`,
    m.ratio_to_torch === undefined ? '' : `  lpt/torch ${m.ratio_to_torch.toFixed(2)} (${m.torch_peer})`,
    m.cpu_ratio_to_torch === undefined ? '' : ` CPU-time ratio ${m.cpu_ratio_to_torch.toFixed(2)}`,
    m.gain === undefined ? '' : `  gain ${m.gain.toFixed(2)}x`,
    m.tensor_growth ? `  TENSORS GREW BY ${m.tensor_growth}` : '',
    m.load === undefined ? '' : `  load ${m.load.toFixed(2)}`,
  ].join('');
  const who = m.impl === 'lpt' ? 'lpt' : `torch ${m.peer ?? ''}`;
  return `${who.padEnd(28)} phase ${m.phase.padEnd(5)} batch ${String(m.batch).padStart(4)} ${fmt(m.img_per_s)} img/s ${fmt(m.gflops)} nominal GFLOP/s${extra}  ${leverLabel(m)}`;
}

/** The final table: per (phase, batch) lpt, the faster peer, their ratio, FLOP rates and the load. */
export function formatTable(ms: readonly Measurement[], compare: string | null): string {
  const head = [
    'phase  batch   lpt img/s  torch img/s  lpt/torch  faster peer                  CPU ratio  nominal GFLOP/s  executed GFLOP/s  of sgemm   load',
    compare === null ? '' : `  ${compare}     gain`,
  ];
  const rows = [head.join('')];
  for (const lpt of ms.filter((m) => m.impl === 'lpt')) {
    const torch = ms.find(
      (m) => m.impl === 'torch' && m.phase === lpt.phase && m.batch === lpt.batch && m.peer === lpt.torch_peer,
    );
    const cells = [
      lpt.phase.padEnd(5),
      String(lpt.batch).padStart(6),
      fmt(lpt.img_per_s, 1).padStart(11),
      (torch ? fmt(torch.img_per_s, 1) : '-').padStart(12),
      (lpt.ratio_to_torch === undefined ? '-' : lpt.ratio_to_torch.toFixed(2)).padStart(10),
      ` ${(lpt.torch_peer ?? '-').padEnd(28)}`,
      (lpt.cpu_ratio_to_torch === undefined ? '-' : lpt.cpu_ratio_to_torch.toFixed(2)).padStart(9),
      fmt(lpt.gflops, 1).padStart(16),
      (lpt.executed_gflops === undefined ? '-' : fmt(lpt.executed_gflops, 1)).padStart(17),
      percent(lpt.sgemm_share).padStart(9),
      (lpt.load === undefined ? '-' : lpt.load.toFixed(2)).padStart(6),
    ];
    if (compare !== null) cells.push(`  ${(lpt.levers?.[compare] ?? '').padEnd(9)}`, `${(lpt.gain ?? 1).toFixed(2)}x`);
    rows.push(cells.join(' '));
  }
  return rows.join('\n');
}
