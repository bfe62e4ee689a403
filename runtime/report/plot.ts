/**
 * The long-tail figure as a standalone SVG: per-class accuracy (y, %) against training images per
 * class (x, log scale), one colour per run/variant (class points plus a trend line), dashed lines
 * at the shot-group boundaries with the groups named, axis labels, legend and title. Hand-written
 * SVG because the plot is small and the Node 20 plotting stacks (vega-lite 6) need Node 22.
 */
import type { Bound } from '../eval/shots.ts';
import { linearScale, logDomain, logScale } from './scale.ts';
import type { AccuracySeries } from './series.ts';

export interface PlotOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly boundaries?: { readonly many?: Bound; readonly few?: Bound };
}

/** Tableau 10: distinguishable, and readable in greyscale print by lightness. */
export const palette = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

const width = 880;
const height = 500;
const margin = { left: 70, right: 250, top: 80, bottom: 60 };
const font = `font-family="DejaVu Sans, Helvetica, Arial, sans-serif"`;

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const fixed = (n: number) => n.toFixed(1);

export function renderAccuracyPlot(series: readonly AccuracySeries[], options: PlotOptions): string {
  const plot = { x0: margin.left, x1: width - margin.right, y0: height - margin.bottom, y1: margin.top };
  const counts = series.flatMap((s) => s.points.map((p) => p.count));
  const domain =
    counts.length > 0 ? logDomain(Math.min(...counts), Math.max(...counts)) : ([1, 1000] as [number, number]);
  const x = logScale(domain, [plot.x0, plot.x1]);
  const y = linearScale([0, 100], [plot.y0, plot.y1], 20);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(
    `<text x="${plot.x0}" y="28" ${font} font-size="18" font-weight="bold" fill="#222">${escapeXml(options.title)}</text>`,
  );
  if (options.subtitle)
    out.push(`<text x="${plot.x0}" y="50" ${font} font-size="13" fill="#555">${escapeXml(options.subtitle)}</text>`);
  for (const t of y.ticks) {
    const py = fixed(y.map(t.value));
    out.push(`<line x1="${plot.x0}" x2="${plot.x1}" y1="${py}" y2="${py}" stroke="#e6e6e6"/>`);
    out.push(
      `<text x="${plot.x0 - 8}" y="${py}" dy="4" text-anchor="end" ${font} font-size="12" fill="#444">${t.label}</text>`,
    );
  }
  for (const t of x.ticks) {
    const px = fixed(x.map(t.value));
    out.push(
      `<line x1="${px}" x2="${px}" y1="${plot.y0}" y2="${plot.y1}" stroke="${t.major ? '#e6e6e6' : '#f4f4f4'}"/>`,
    );
    out.push(`<line x1="${px}" x2="${px}" y1="${plot.y0}" y2="${plot.y0 + (t.major ? 6 : 3)}" stroke="#444"/>`);
    if (t.label)
      out.push(
        `<text x="${px}" y="${plot.y0 + 20}" text-anchor="middle" ${font} font-size="12" fill="#444">${t.label}</text>`,
      );
  }
  out.push(...boundaryMarks(options.boundaries, domain, x.map, plot));
  out.push(
    `<rect x="${plot.x0}" y="${plot.y1}" width="${plot.x1 - plot.x0}" height="${plot.y0 - plot.y1}" fill="none" stroke="#888"/>`,
  );
  const midX = fixed((plot.x0 + plot.x1) / 2);
  const midY = fixed((plot.y0 + plot.y1) / 2);
  out.push(
    `<text x="${midX}" y="${height - 16}" text-anchor="middle" ${font} font-size="13" fill="#222">training images per class (log scale)</text>`,
  );
  out.push(
    `<text transform="translate(20 ${midY}) rotate(-90)" text-anchor="middle" ${font} font-size="13" fill="#222">per-class top-1 accuracy (%)</text>`,
  );
  const radius = Math.max(...series.map((s) => s.points.length), 0) > 200 ? 2 : 3.5;
  series.forEach((s, i) => {
    const colour = palette[i % palette.length]!;
    out.push(`<g class="series" data-name="${escapeXml(s.name)}">`);
    for (const p of s.points) {
      out.push(
        `<circle cx="${fixed(x.map(p.count))}" cy="${fixed(y.map(p.accuracy))}" r="${radius}" fill="${colour}" fill-opacity="0.45"/>`,
      );
    }
    const path = s.trend.map((p) => `${fixed(x.map(p.count))},${fixed(y.map(p.accuracy))}`).join(' ');
    if (s.trend.length > 1)
      out.push(
        `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2.5" stroke-linejoin="round"/>`,
      );
    out.push('</g>');
  });
  out.push(...legend(series, plot.x1 + 24, plot.y1));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function boundaryMarks(
  boundaries: PlotOptions['boundaries'],
  domain: [number, number],
  mapX: (v: number) => number,
  plot: { x0: number; x1: number; y0: number; y1: number },
): string[] {
  const out: string[] = [];
  const inside = (v: number) => v > domain[0] && v < domain[1];
  const few = boundaries?.few?.value;
  const many = boundaries?.many?.value;
  for (const value of [few, many]) {
    if (value === undefined || !inside(value)) continue;
    const px = fixed(mapX(value));
    out.push(`<line x1="${px}" x2="${px}" y1="${plot.y0}" y2="${plot.y1}" stroke="#999" stroke-dasharray="5 4"/>`);
  }
  if (few === undefined || many === undefined || !inside(few) || !inside(many)) return out;
  const regions: [string, number, number][] = [
    ['few', plot.x0, mapX(few)],
    ['medium', mapX(few), mapX(many)],
    ['many', mapX(many), plot.x1],
  ];
  for (const [name, from, to] of regions) {
    out.push(
      `<text x="${fixed((from + to) / 2)}" y="${plot.y1 - 7}" text-anchor="middle" ${font} font-size="12" font-style="italic" fill="#777">${name}</text>`,
    );
  }
  return out;
}

function legend(series: readonly AccuracySeries[], left: number, top: number): string[] {
  const out = [
    `<text x="${left}" y="${top + 4}" ${font} font-size="13" font-weight="bold" fill="#222">run / variant</text>`,
  ];
  series.forEach((s, i) => {
    const colour = palette[i % palette.length]!;
    const cy = top + 28 + i * 22;
    out.push(`<line x1="${left}" x2="${left + 24}" y1="${cy}" y2="${cy}" stroke="${colour}" stroke-width="2.5"/>`);
    out.push(`<circle cx="${left + 12}" cy="${cy}" r="3.5" fill="${colour}"/>`);
    out.push(
      `<text x="${left + 32}" y="${cy}" dy="4" ${font} font-size="12" fill="#222">${escapeXml(truncate(s.name, 26))}</text>`,
    );
  });
  return out;
}
