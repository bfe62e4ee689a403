/**
 * The long-tail figure of one or several runs as an SVG (plot.ts): per-class accuracy against
 * training images per class, one series per run and table row, titled by the runs, with the shot
 * groups marked when all runs share them. `lpt report --plot`, `--html` and `lpt view` draw this one.
 */
import { renderAccuracyPlot } from './plot.ts';
import { accuracySeries, parseBoundaryText } from './series.ts';
import type { LabelledRun } from './table.ts';

function plotTitle(runs: readonly LabelledRun[]): { title: string; subtitle: string } {
  const boundaries = [...new Set(runs.map((r) => r.results.boundaries))];
  const names = runs.map((r) => r.label).join(' vs ');
  return {
    title: 'Per-class accuracy by training images per class',
    subtitle: `${names}${boundaries.length === 1 && boundaries[0] ? ` · shot groups ${boundaries[0]}` : ''}`,
  };
}

/** The SVG, or undefined when no run has per-class results (results.json without perClass rows). */
export function longTailFigure(runs: readonly LabelledRun[]): string | undefined {
  const series = accuracySeries(runs);
  if (series.every((s) => s.points.length === 0)) return undefined;
  const boundaryTexts = [...new Set(runs.map((r) => r.results.boundaries))];
  return renderAccuracyPlot(series, {
    ...plotTitle(runs),
    ...(boundaryTexts.length === 1 ? { boundaries: parseBoundaryText(boundaryTexts[0]!) } : {}),
  });
}
