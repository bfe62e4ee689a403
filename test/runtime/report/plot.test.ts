import test from 'ava';
import { renderAccuracyPlot, escapeXml } from '../../../runtime/report/plot.ts';
import { logDomain, logScale } from '../../../runtime/report/scale.ts';
import { accuracySeries, parseBoundaryText, trendLine } from '../../../runtime/report/series.ts';
import { labelRuns } from '../../../runtime/report/table.ts';
import type { RunResults } from '../../../plan/results.ts';

const row = (c: number, trainImages: number, accuracy: number, testImages = 10) => ({
  class: c,
  trainImages,
  testImages,
  correct: 0,
  accuracy,
});
const results = (experiment: string, variants: [string, ReturnType<typeof row>[]][]): RunResults => ({
  experiment,
  boundaries: 'many: n>100, few: n<=20, medium: the rest',
  variants: variants.map(([variant, perClass]) => ({
    variant,
    trainableParams: 1,
    backboneParams: 10,
    accuracy: { overall: 0, many: 0, medium: 0, few: 0 },
    trainCounts: [],
    perClass,
  })),
});

test('one series per run/variant; classes without test or training images are left out', (t) => {
  const runs = labelRuns([
    {
      dir: 'a',
      results: results('quick', [
        ['VPT', [row(0, 500, 90), row(1, 5, 10), row(2, 0, 0), row(3, 50, 50, 0)]],
        ['LPT', [row(0, 500, 95)]],
      ]),
    },
    { dir: 'b', results: results('cifar', [['LPT', [row(0, 300, 80)]]]) },
  ]);
  const series = accuracySeries(runs);
  t.deepEqual(
    series.map((s) => s.name),
    ['quick / VPT', 'quick / LPT', 'cifar / LPT'],
  );
  t.deepEqual(series[0]!.points, [
    { count: 500, accuracy: 90 },
    { count: 5, accuracy: 10 },
  ]);
  t.deepEqual(series[0]!.trend, [
    { count: 5, accuracy: 10 },
    { count: 500, accuracy: 90 },
  ]);
});

test('the seeds of one row are one series: each class averaged over them', (t) => {
  const seeded = results('quick', [
    ['LPT seed 0', [row(0, 500, 90), row(1, 5, 10)]],
    ['LPT seed 1', [row(0, 500, 80), row(1, 5, 30)]],
    ['VPT', [row(0, 500, 70)]],
  ]);
  const variants = seeded.variants.map((v, i) => (i < 2 ? { ...v, row: 'LPT', seed: i } : v));
  const series = accuracySeries(labelRuns([{ dir: 'a', results: { ...seeded, variants } }]));
  t.deepEqual(
    series.map((s) => s.name),
    ['LPT (mean of 2 seeds)', 'VPT'],
  );
  t.deepEqual(series[0]!.points, [
    { count: 500, accuracy: 85 },
    { count: 5, accuracy: 20 },
  ]);
});

test('the trend averages equal counts, and bins when there are too many distinct counts', (t) => {
  t.deepEqual(
    trendLine([
      { count: 10, accuracy: 20 },
      { count: 10, accuracy: 40 },
      { count: 1, accuracy: 5 },
    ]),
    [
      { count: 1, accuracy: 5 },
      { count: 10, accuracy: 30 },
    ],
  );
  const many = Array.from({ length: 200 }, (_, i) => ({ count: i + 1, accuracy: i / 2 }));
  const binned = trendLine(many);
  t.true(binned.length <= 20 && binned.length > 5);
  t.deepEqual(
    [...binned].sort((a, b) => a.count - b.count),
    binned,
  );
  t.true(binned.every((p, i) => i === 0 || p.accuracy > binned[i - 1]!.accuracy));
});

test('log scale: decades are equally spaced, domain covers the data', (t) => {
  t.deepEqual(logDomain(5, 500), [1, 1000]);
  t.deepEqual(logDomain(10, 10), [10, 100]);
  const scale = logScale([1, 1000], [0, 300]);
  t.is(scale.map(1), 0);
  t.is(Math.round(scale.map(10)), 100);
  t.is(Math.round(scale.map(1000)), 300);
  t.deepEqual(
    scale.ticks.filter((tick) => tick.major).map((tick) => tick.label),
    ['1', '10', '100', '1000'],
  );
  t.deepEqual(
    logScale([10, 100], [0, 1])
      .ticks.filter((tick) => tick.label)
      .map((tick) => tick.label),
    ['10', '20', '50', '100'],
  );
});

test('boundary text from results.json is read back', (t) => {
  t.deepEqual(parseBoundaryText('many: n>100, few: n<=20, medium: the rest'), {
    many: { op: '>', value: 100 },
    few: { op: '<=', value: 20 },
  });
  t.deepEqual(parseBoundaryText('custom'), {});
});

test('the SVG has title, axis labels, legend, boundary lines, one circle per class and a line per series', (t) => {
  const runs = labelRuns([
    {
      dir: 'a',
      results: results('quick', [
        ['VPT <a&b>', [row(0, 500, 90), row(1, 50, 50), row(2, 5, 10)]],
        ['LPT', [row(0, 500, 95), row(1, 50, 80), row(2, 5, 60)]],
      ]),
    },
  ]);
  const svg = renderAccuracyPlot(accuracySeries(runs), {
    title: 'Long tail',
    subtitle: 'quick',
    boundaries: parseBoundaryText(runs[0]!.results.boundaries),
  });
  t.true(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  t.true(svg.includes('>Long tail</text>'));
  t.true(svg.includes('training images per class (log scale)'));
  t.true(svg.includes('per-class top-1 accuracy (%)'));
  t.true(svg.includes(`>${escapeXml('VPT <a&b>')}</text>`));
  t.false(svg.includes('VPT <a&b>'));
  t.is(svg.match(/<circle /g)!.length, 6 + 2);
  t.is(svg.match(/<polyline /g)!.length, 2);
  t.is(svg.match(/stroke-dasharray/g)!.length, 2);
  for (const group of ['few', 'medium', 'many']) t.true(svg.includes(`>${group}</text>`));
});

test('higher accuracy is drawn higher and more images further right', (t) => {
  const runs = labelRuns([{ dir: 'a', results: results('quick', [['V', [row(0, 500, 90), row(1, 5, 10)]]]) }]);
  const svg = renderAccuracyPlot(accuracySeries(runs), { title: 't' });
  const circles = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="3.5" fill="#4e79a7" fill-opacity/g)].map(
    (m) => [Number(m[1]), Number(m[2])],
  );
  t.is(circles.length, 2);
  const [head, tail] = circles as [[number, number], [number, number]];
  t.true(head[0] > tail[0]);
  t.true(head[1] < tail[1]);
});
