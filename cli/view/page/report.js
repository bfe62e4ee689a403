/**
 * The report of one or several runs, laid out from the data Node computed (cli/view/report_model.ts):
 * the results table, the long-tail SVG, the per-class table (sortable), the training curves and
 * the settings side by side. `lpt view` and `lpt report --html` show this same view.
 */
(() => {
  'use strict';

  const lpt = (globalThis.lpt ??= {});
  const { el, accuracy, problemList } = lpt.dom;
  const { curveCharts } = lpt.charts;

  function resultsTable(table) {
    const cell = (tag, text, c) => el(tag, { class: table.rightAligned[c] ? 'num' : undefined }, text);
    return el(
      'div',
      null,
      el(
        'table',
        { class: 'results' },
        el('thead', null, el('tr', null, ...table.header.map((h, c) => cell('th', h, c)))),
        el('tbody', null, ...table.rows.map((row) => el('tr', null, ...row.map((text, c) => cell('td', text, c))))),
      ),
      ...table.footnotes.map((note) => el('p', { class: 'footnote' }, note)),
    );
  }

  function svgFigure(svgText) {
    const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    const svg = parsed.documentElement;
    if (svg.nodeName !== 'svg') return el('p', { class: 'problems' }, 'the long-tail figure could not be read');
    return el('figure', { class: 'long-tail' }, document.importNode(svg, true));
  }

  /** Rows sorted by clicking a header (again: the other way); numbers numerically, blanks last; `format` per column. */
  function sortableTable(header, rows, numeric, format) {
    const body = el('tbody');
    let sortBy = 0;
    let ascending = true;
    const draw = () => {
      const sorted = [...rows].sort((a, b) => {
        const x = a[sortBy];
        const y = b[sortBy];
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        const order = numeric[sortBy] ? x - y : String(x).localeCompare(String(y));
        return ascending ? order : -order;
      });
      body.replaceChildren(
        ...sorted.map((row) =>
          el('tr', null, ...row.map((v, c) => el('td', { class: numeric[c] ? 'num' : undefined }, format[c](v)))),
        ),
      );
      heads.forEach((th, c) => (th.dataset.sort = c === sortBy ? (ascending ? 'ascending' : 'descending') : ''));
    };
    const heads = header.map((h, c) =>
      el(
        'th',
        {
          class: numeric[c] ? 'num sortable' : 'sortable',
          title: 'sort by this column',
          onclick: () => {
            ascending = sortBy === c ? !ascending : true;
            sortBy = c;
            draw();
          },
        },
        h,
      ),
    );
    draw();
    return el('table', { class: 'per-class' }, el('thead', null, el('tr', null, ...heads)), body);
  }

  /** One row per class: training and test images, then each variant's accuracy. */
  function perClassTable(entries) {
    const classes = [...new Set(entries.flatMap((e) => e.rows.map((r) => r.class)))].sort((a, b) => a - b);
    const first = (c) => entries.flatMap((e) => e.rows).find((r) => r.class === c);
    const header = ['class', 'train images', 'test images', ...entries.map((e) => e.name)];
    const rows = classes.map((c) => [
      c,
      first(c)?.trainImages ?? null,
      first(c)?.testImages ?? null,
      ...entries.map((e) => e.rows.find((r) => r.class === c)?.accuracy ?? null),
    ]);
    const count = (v) => (v === null ? '–' : String(v));
    return sortableTable(
      header,
      rows,
      header.map(() => true),
      [count, count, count, ...entries.map(() => accuracy)],
    );
  }

  function settingsTable(settings) {
    if (settings.columns.length === 0) return el('p', { class: 'muted' }, 'No plans to show.');
    const onlyDifferences = el('input', { type: 'checkbox', checked: settings.columns.length > 1 });
    const body = el('tbody');
    const draw = () =>
      body.replaceChildren(
        ...settings.rows
          .filter((r) => !onlyDifferences.checked || r.differs)
          .map((r) =>
            el(
              'tr',
              { class: r.differs ? 'differs' : undefined },
              el('th', null, r.path),
              ...r.values.map((v) => el('td', null, v)),
            ),
          ),
      );
    onlyDifferences.addEventListener('change', draw);
    draw();
    const differing = settings.rows.filter((r) => r.differs).length;
    return el(
      'div',
      null,
      el('label', null, onlyDifferences, ` only the ${differing} settings that differ (highlighted)`),
      el(
        'table',
        { class: 'settings' },
        el('thead', null, el('tr', null, el('th', null, 'setting'), ...settings.columns.map((c) => el('th', null, c)))),
        body,
      ),
    );
  }

  /** `withCurves`: the run page draws its own live curves, so it leaves the report's out. */
  function renderReport(model, into, withCurves = true) {
    const perClass = model.perClass.filter((e) => e.rows.length > 0);
    into.replaceChildren(
      el(
        'section',
        { class: 'report' },
        el('h2', null, 'Results'),
        resultsTable(model.table),
        model.longTail
          ? el('div', null, el('h2', null, 'Per-class accuracy against training images'), svgFigure(model.longTail))
          : el('p', { class: 'muted' }, 'No per-class results to plot.'),
        perClass.length > 0
          ? el(
              'details',
              { open: perClass[0].rows.length <= 30 },
              el('summary', null, 'Per-class accuracy (%) — click a column to sort'),
              perClassTable(perClass),
            )
          : null,
        withCurves && model.curves.length > 0
          ? el('div', null, el('h2', null, 'Training'), ...model.curves.map(curveCharts))
          : null,
        el('h2', null, 'Settings'),
        settingsTable(model.settings),
        problemList(model.notes),
      ),
    );
  }

  lpt.report = { renderReport };
})();
