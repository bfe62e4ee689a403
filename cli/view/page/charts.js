/**
 * Line charts over optimiser steps with uPlot (its browser bundle, loaded before this script).
 */
(() => {
  'use strict';

  const lpt = (globalThis.lpt ??= {});
  const { el } = lpt.dom;

  const palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];

  /**
   * A line chart of `series` ({label, values}) over `xs`, in `box`; returns an updater taking new
   * data of the same series. The box records its series and point count for tests and screen readers.
   */
  function lineChart(box, title, xLabel, xs, series, yLabel) {
    box.replaceChildren();
    box.className = 'chart';
    box.dataset.series = String(series.length);
    box.dataset.points = String(xs.length);
    box.dataset.title = title;
    // Two charts a row where the page is wide enough.
    const width = Math.max(320, Math.min(Math.floor(((box.parentElement?.clientWidth || 1280) - 16) / 2), 640));
    const plot = new uPlot(
      {
        title,
        width,
        height: 240,
        scales: { x: { time: false } },
        axes: [{ label: xLabel }, { label: yLabel, size: 60 }],
        series: [
          { label: xLabel },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: palette[i % palette.length],
            width: 1.5,
            spanGaps: true,
          })),
        ],
      },
      [xs, ...series.map((s) => s.values)],
      box,
    );
    return (nextXs, nextSeries) => {
      box.dataset.points = String(nextXs.length);
      plot.setData([nextXs, ...nextSeries.map((s) => s.values)]);
    };
  }

  /** Loss terms and learning rate of one variant's curve ({steps, losses, lr}). */
  function curveCharts(curve) {
    const losses = el('div');
    const lr = el('div');
    const terms = Object.keys(curve.losses);
    const wrap = el(
      'section',
      { class: 'curves' },
      el('h3', null, curve.variant),
      el('div', { class: 'charts' }, losses, lr),
    );
    queueMicrotask(() => {
      lineChart(
        losses,
        'Loss terms',
        'step',
        curve.steps,
        terms.map((t) => ({ label: t, values: curve.losses[t] })),
        'loss',
      );
      lineChart(lr, 'Learning rate', 'step', curve.steps, [{ label: 'lr', values: curve.lr }], 'lr');
    });
    return wrap;
  }

  lpt.charts = { palette, lineChart, curveCharts };
})();
