/** A unicode sparkline (▁▂▃▄▅▆▇█) of the last `width` values, scaled to their own min..max. */

const bars = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(-width);
  const finite = shown.filter(Number.isFinite);
  if (finite.length === 0) return '';
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return shown
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      if (hi === lo) return bars[3];
      return bars[Math.min(bars.length - 1, Math.floor(((v - lo) / (hi - lo)) * bars.length))];
    })
    .join('');
}

/** A progress bar of `width` cells: █ done, ░ to do. */
export function bar(fraction: number, width: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.round(f * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}
