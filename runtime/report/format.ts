/**
 * Number formats shared by the results table, the plot and the live UI, in the style of the
 * papers' tables: parameters as 1.03M / 92.2K, shares and accuracies as percentages, and a dash
 * for a shot group without classes (NaN, stored as null in results.json).
 */

/** 1.03M, 92.2K, 512: three significant digits, as the LPT tables write "1.03M". */
export function formatParams(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${toSignificant(n / 1e9)}B`;
  if (abs >= 1e6) return `${toSignificant(n / 1e6)}M`;
  if (abs >= 1e3) return `${toSignificant(n / 1e3)}K`;
  return String(Math.round(n));
}

function toSignificant(x: number): string {
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return x.toFixed(digits);
}

/** Share of the backbone in percent: 1.20% below 10%, 12.3% above. */
export function formatShare(trainable: number, backbone: number): string {
  if (!(backbone > 0) || !Number.isFinite(trainable)) return '–';
  const percent = (100 * trainable) / backbone;
  return `${percent < 10 ? percent.toFixed(2) : percent.toFixed(1)}%`;
}

/** "1.03M (1.20%)": trainable parameters and their share of the frozen backbone. */
export function formatTrainable(trainable: number, backbone: number): string {
  return `${formatParams(trainable)} (${formatShare(trainable, backbone)})`;
}

/** An accuracy in percent with one decimal; NaN (a group without classes) is a dash. */
export function formatAccuracy(percent: number): string {
  return Number.isFinite(percent) ? percent.toFixed(1) : '–';
}

/** "61.2 ± 0.8": a mean over seeds and its standard deviation; the mean alone when there is no deviation (one seed). */
export function formatMeanStd(mean: number, std: number): string {
  if (!Number.isFinite(mean) || !Number.isFinite(std)) return formatAccuracy(mean);
  return `${formatAccuracy(mean)} ± ${std.toFixed(1)}`;
}

/** The run header's line per phase: "phase one: micro-batch 8 of 32 per stream (why)". */
export function formatMicroBatch(c: {
  readonly phase: string;
  readonly batch: number;
  readonly microBatch: number;
  readonly reason: string;
}): string {
  const split = c.microBatch >= c.batch ? `the whole batch of ${c.batch}` : `micro-batch ${c.microBatch} of ${c.batch}`;
  return `phase ${c.phase}: ${split} per stream (${c.reason})`;
}
