/**
 * Axis scales for the SVG plot: linear for accuracy, log10 for training images per class, with
 * tick positions a reader expects (decades, plus 2 and 5 when the data spans few decades).
 */

export interface Scale {
  readonly map: (value: number) => number;
  readonly ticks: readonly { readonly value: number; readonly label: string; readonly major: boolean }[];
}

export function linearScale(domain: [number, number], range: [number, number], step: number): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const map = (v: number) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
  const ticks = [];
  for (let v = d0; v <= d1 + 1e-9; v += step)
    ticks.push({ value: v, label: String(Math.round(v * 100) / 100), major: true });
  return { map, ticks };
}

export function countLabel(n: number): string {
  if (n >= 1e6) return `${n / 1e6}M`;
  if (n >= 1e4) return `${n / 1e3}k`;
  return String(n);
}

/** The decade-aligned domain covering [min, max] (both >= 1). */
export function logDomain(min: number, max: number): [number, number] {
  const lo = Math.floor(Math.log10(Math.max(1, min)));
  let hi = Math.ceil(Math.log10(Math.max(1, max)));
  if (hi <= lo) hi = lo + 1;
  return [10 ** lo, 10 ** hi];
}

export function logScale(domain: [number, number], range: [number, number]): Scale {
  const [l0, l1] = [Math.log10(domain[0]), Math.log10(domain[1])];
  const [r0, r1] = range;
  const map = (v: number) => r0 + ((Math.log10(v) - l0) / (l1 - l0)) * (r1 - r0);
  const decades = Math.round(l1 - l0);
  const labelledMinor = decades <= 2 ? [2, 5] : [];
  const ticks = [];
  for (let e = Math.round(l0); e <= Math.round(l1); e++) {
    for (let m = 1; m <= 9; m++) {
      const value = m * 10 ** e;
      if (value > domain[1] * (1 + 1e-9)) break;
      const major = m === 1;
      const label = major || labelledMinor.includes(m) ? countLabel(value) : '';
      ticks.push({ value, label, major });
    }
  }
  return { map, ticks };
}
