/**
 * The page of `lpt view` and `lpt report --html`, plain browser JavaScript (no build step). Served,
 * it routes by the URL's hash: #/ the run list, #/run/ID one run live, #/compare?run=A&run=B the
 * report of selected runs. As a report file it renders the report data inlined in the page.
 * Everything shown is set as text (textContent), never parsed as HTML, except the long-tail SVG
 * that the report code drew (and escaped) in Node.
 */
(() => {
  'use strict';

  const app = document.getElementById('app');
  const palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];

  /** An element with attributes/properties and children (strings become text nodes). */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props ?? {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'checked') node.checked = value;
      else node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(
        typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
      );
    }
    return node;
  }

  function accuracy(value) {
    return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(1) : '–';
  }

  function duration(seconds) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '';
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const pad = (n) => String(n).padStart(2, '0');
    return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
  }

  /** 2026-12-06 17:18 in the reader's time zone. */
  function when(ms) {
    if (typeof ms !== 'number') return '';
    const d = new Date(ms);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  /** Variant names, with their seeds when the run has several. */
  function variantNames(variants) {
    const seeds = new Set(variants.map((v) => v.seed));
    return variants.map((v) => (seeds.size > 1 ? `${v.name} (seed ${v.seed})` : v.name)).join(', ');
  }

  function bytes(n) {
    return n / 2 ** 20;
  }

  async function getJson(url) {
    const response = await fetch(url);
    const body = await response.json();
    if (!response.ok && !body.problems) throw new Error(`${url}: HTTP ${response.status}`);
    return body;
  }

  function problemList(problems) {
    if (!problems || problems.length === 0) return null;
    return el('ul', { class: 'problems' }, ...problems.map((p) => el('li', null, p)));
  }

  // ---- charts (uPlot) -------------------------------------------------------------------------

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

  // ---- the report: table, long-tail plot, per-class table, settings, curves ---------------------

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

  // ---- pages ----------------------------------------------------------------------------------

  let leavePage = () => {};

  function runLink(run) {
    return el('a', { href: `#/run/${encodeURIComponent(run.id)}` }, run.dir);
  }

  function statusBadge(summary) {
    return el(
      'span',
      { class: `status status-${summary.status.replace(' ', '-')}`, title: summary.statusDetail },
      summary.status,
    );
  }

  function progressText(p) {
    const current = typeof p.current === 'number' ? ` · ${Math.round(100 * p.current)}% of the current one` : '';
    return `${p.done}/${p.of} variants${current}`;
  }

  async function runsPage() {
    const list = el('div', null, el('p', { class: 'muted' }, 'Reading the run directories…'));
    const selected = new Set();
    const compare = el(
      'button',
      {
        disabled: true,
        onclick: () =>
          (location.hash = `#/compare?${[...selected].map((id) => `run=${encodeURIComponent(id)}`).join('&')}`),
      },
      'Compare selected runs',
    );
    app.replaceChildren(el('h1', null, 'lpt runs'), el('p', null, compare), list);
    const draw = async () => {
      let body;
      try {
        body = await getJson('/api/runs');
      } catch (error) {
        list.replaceChildren(problemList([String(error)]));
        return;
      }
      if (body.runs.length === 0) {
        list.replaceChildren(el('p', { class: 'muted' }, `No run directories under ${body.roots.join(', ')}.`));
        return;
      }
      const rows = body.runs.map((run) => {
        const box = el('input', {
          type: 'checkbox',
          checked: selected.has(run.id),
          'aria-label': `select ${run.dir}`,
          onchange: (e) => {
            if (e.target.checked) selected.add(run.id);
            else selected.delete(run.id);
            compare.disabled = selected.size === 0;
          },
        });
        const table = run.table
          ? el(
              'table',
              { class: 'mini' },
              ...run.table.rows.map((r) =>
                el(
                  'tr',
                  null,
                  ...r.map((text, c) => (c === 1 ? null : el('td', { class: c > 1 ? 'num' : undefined }, text))),
                ),
              ),
            )
          : el('span', { class: 'muted' }, 'no results yet');
        return el(
          'tr',
          { 'data-run': run.id },
          el('td', null, box),
          el('td', null, runLink(run), problemList(run.problems)),
          el('td', null, run.experiment),
          el('td', null, variantNames(run.variants)),
          el('td', null, statusBadge(run), el('div', { class: 'muted small' }, run.statusDetail)),
          el('td', null, progressText(run.progress)),
          el('td', null, when(run.started)),
          el('td', { class: 'num' }, duration(run.seconds)),
          el('td', null, run.backend ?? ''),
          el('td', null, run.where),
          el('td', { class: 'results-cell' }, table),
        );
      });
      const head = [
        '',
        'run',
        'experiment',
        'variants',
        'status',
        'progress',
        'started',
        'duration',
        'backend',
        'where',
        'results (many / medium / few / overall)',
      ];
      list.replaceChildren(
        el(
          'table',
          { class: 'runs' },
          el('thead', null, el('tr', null, ...head.map((h) => el('th', null, h)))),
          el('tbody', null, ...rows),
        ),
      );
    };
    await draw();
    const timer = setInterval(draw, 5000);
    leavePage = () => clearInterval(timer);
  }

  /** One variant's live state, built from its events. */
  function newVariant(name) {
    return {
      name,
      start: null,
      phases: new Map(),
      steps: [],
      terms: [],
      lr: [],
      ips: [],
      memory: [],
      gpu: [],
      evaluations: [],
    };
  }

  function reduce(state, e) {
    const variantOf = (name) => {
      if (!state.variants.has(name)) state.variants.set(name, newVariant(name));
      return state.variants.get(name);
    };
    switch (e.type) {
      case 'run_start': {
        const v = variantOf(e.variant);
        v.start = e;
        for (const phase of e.phases)
          if (!v.phases.has(phase))
            v.phases.set(phase, { name: phase, done: e.reused?.phases.includes(phase) ?? false, stepsDone: 0 });
        state.current = e.variant;
        state.ended = null;
        break;
      }
      case 'phase_start': {
        const v = variantOf(e.variant);
        const phase = v.phases.get(e.phase) ?? { name: e.phase, done: false, stepsDone: 0 };
        v.phases.set(e.phase, { ...phase, total: e.epochs * e.stepsPerEpoch, epochs: e.epochs });
        state.current = e.variant;
        break;
      }
      case 'step': {
        const v = variantOf(e.variant);
        const phase = v.phases.get(e.phase) ?? { name: e.phase, done: false };
        v.phases.set(e.phase, { ...phase, stepsDone: e.epoch * e.stepsPerEpoch + e.step + 1, epoch: e.epoch });
        const x = e.runStep ?? v.steps.length + 1;
        while (v.steps.length > 0 && v.steps[v.steps.length - 1] >= x) {
          v.steps.pop();
          v.terms.pop();
          v.lr.pop();
          v.ips.pop();
          v.memory.pop();
          v.gpu.pop();
        }
        v.steps.push(x);
        v.terms.push(e.losses);
        v.lr.push(e.lr);
        v.ips.push(e.imagesPerSecond);
        v.memory.push(bytes(e.bytes));
        v.gpu.push(e.gpuBytes ? bytes(e.gpuBytes.live + e.gpuBytes.pooled) : null);
        state.current = e.variant;
        break;
      }
      case 'phase_end': {
        const v = variantOf(e.variant);
        const phase = v.phases.get(e.phase) ?? { name: e.phase };
        v.phases.set(e.phase, { ...phase, done: true, seconds: e.seconds });
        break;
      }
      case 'evaluation':
        variantOf(e.variant).evaluations.push(e);
        state.evaluations.push(e);
        break;
      case 'warning':
      case 'error':
        state.messages.push(e);
        break;
      case 'run_end':
        state.ended = e;
        break;
    }
    state.count++;
  }

  function phaseList(v) {
    return el(
      'ul',
      { class: 'phases' },
      ...[...v.phases.values()].map((p) => {
        const fraction = p.done ? 1 : p.total ? (p.stepsDone ?? 0) / p.total : 0;
        const text = p.done
          ? `done${p.seconds !== undefined ? ` in ${duration(p.seconds)}` : ''}`
          : p.total
            ? `epoch ${(p.epoch ?? 0) + 1}/${p.epochs}, step ${p.stepsDone ?? 0}/${p.total}`
            : 'pending';
        return el(
          'li',
          { 'data-phase': p.name },
          el('span', { class: 'phase-name' }, `phase ${p.name}`),
          el('progress', { max: 1, value: fraction }),
          ` ${text}`,
        );
      }),
    );
  }

  function evaluationTable(evaluations) {
    if (evaluations.length === 0) return el('p', { class: 'muted' }, 'No evaluation yet.');
    const head = ['variant', 'after phase', 'model', 'split', 'overall', 'many', 'medium', 'few'];
    return el(
      'table',
      { class: 'evaluations' },
      el('thead', null, el('tr', null, ...head.map((h, c) => el('th', { class: c > 3 ? 'num' : undefined }, h)))),
      el(
        'tbody',
        null,
        ...evaluations.map((e) =>
          el(
            'tr',
            null,
            el('td', null, e.variant),
            el('td', null, e.phase || '(as initialised)'),
            el('td', null, e.model ?? ''),
            el('td', null, e.split),
            ...['overall', 'many', 'medium', 'few'].map((g) => el('td', { class: 'num' }, accuracy(e.accuracy[g]))),
          ),
        ),
      ),
    );
  }

  function runPage(id) {
    const state = { variants: new Map(), evaluations: [], messages: [], current: null, ended: null, count: 0 };
    const header = el('div', { class: 'run-header' });
    const problems = [];
    const problemBox = el('div');
    const chooser = el('select', { 'aria-label': 'variant' });
    const phases = el('div');
    const charts = { losses: el('div'), lr: el('div'), ips: el('div'), memory: el('div') };
    const evaluations = el('div');
    const messages = el('div');
    const report = el('div', null, el('p', { class: 'muted' }, 'No results yet.'));
    const counter = el('span', { class: 'event-count' }, '0');
    app.replaceChildren(
      el('p', null, el('a', { href: '#/' }, '← all runs')),
      header,
      problemBox,
      el('p', { class: 'muted small' }, 'events read: ', counter, ' · updates live'),
      el('h2', null, 'Progress of ', chooser),
      phases,
      el('div', { class: 'charts' }, charts.losses, charts.lr, charts.ips, charts.memory),
      el('h2', null, 'Evaluations'),
      evaluations,
      messages,
      report,
    );
    let shownVariant = null;
    let shownTerms = '';
    let updaters = null;
    let chosen = null;
    chooser.addEventListener('change', () => {
      chosen = chooser.value;
      shownVariant = null;
      draw();
    });
    const seriesOf = (v) => {
      const terms = [...new Set(v.terms.flatMap((l) => Object.keys(l)))];
      const memory = [{ label: 'host tensors (MiB)', values: v.memory }];
      if (v.gpu.some((g) => g !== null)) memory.push({ label: 'GPU (MiB)', values: v.gpu });
      return {
        terms,
        losses: terms.map((t) => ({ label: t, values: v.terms.map((l) => l[t] ?? null) })),
        lr: [{ label: 'lr', values: v.lr }],
        ips: [{ label: 'images/s', values: v.ips }],
        memory,
      };
    };
    let pending = false;
    const draw = () => {
      pending = false;
      counter.textContent = String(state.count);
      const names = [...state.variants.keys()];
      if (chooser.options.length !== names.length)
        chooser.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
      const name = chosen ?? state.current ?? names[0];
      if (name) chooser.value = name;
      const v = name ? state.variants.get(name) : null;
      phases.replaceChildren(v ? phaseList(v) : el('p', { class: 'muted' }, 'No run_start event yet.'));
      evaluations.replaceChildren(evaluationTable(state.evaluations));
      messages.replaceChildren(...state.messages.map((m) => el('p', { class: m.type }, `${m.type}: ${m.message}`)));
      if (!v || v.steps.length === 0) return;
      const s = seriesOf(v);
      if (shownVariant !== name || shownTerms !== s.terms.join() + s.memory.length) {
        shownVariant = name;
        shownTerms = s.terms.join() + s.memory.length;
        updaters = {
          losses: lineChart(charts.losses, 'Loss terms', 'step', v.steps, s.losses, 'loss'),
          lr: lineChart(charts.lr, 'Learning rate', 'step', v.steps, s.lr, 'lr'),
          ips: lineChart(charts.ips, 'Throughput', 'step', v.steps, s.ips, 'images/s'),
          memory: lineChart(charts.memory, 'Memory', 'step', v.steps, s.memory, 'MiB'),
        };
        return;
      }
      for (const key of Object.keys(updaters)) updaters[key](v.steps, s[key]);
    };
    const schedule = () => {
      if (!pending) {
        pending = true;
        requestAnimationFrame(draw);
      }
    };
    const showStatus = (summary) => {
      header.replaceChildren(
        el('h1', null, `${summary.experiment} · `, el('span', { class: 'run-dir' }, summary.dir ?? id)),
        el(
          'p',
          null,
          statusBadge(summary),
          ` ${summary.statusDetail} · ${progressText(summary.progress)} · started ${when(summary.started)} · ${duration(summary.seconds)} · ${summary.backend ?? ''} · ${summary.where}`,
        ),
      );
      problemBox.replaceChildren(problemList([...summary.problems, ...problems]) ?? '');
    };
    const loadReport = async () => {
      const model = await getJson(`/api/report?run=${encodeURIComponent(id)}`);
      if (model.problems) report.replaceChildren(problemList(model.problems));
      else renderReport(model, report, false);
    };
    const source = new EventSource(`/api/events?run=${encodeURIComponent(id)}`);
    source.addEventListener('events', (m) => {
      for (const e of JSON.parse(m.data)) reduce(state, e);
      schedule();
    });
    source.addEventListener('status', (m) => showStatus(JSON.parse(m.data)));
    source.addEventListener('results', () => void loadReport());
    source.addEventListener('problem', (m) => {
      problems.push(JSON.parse(m.data));
      problemBox.replaceChildren(problemList(problems));
    });
    source.addEventListener('reset', () => {
      state.variants.clear();
      state.evaluations.length = 0;
      state.messages.length = 0;
      state.count = 0;
      shownVariant = null;
    });
    void loadReport();
    leavePage = () => source.close();
  }

  async function comparePage(ids) {
    const into = el('div', null, el('p', { class: 'muted' }, 'Computing the report…'));
    app.replaceChildren(
      el('p', null, el('a', { href: '#/' }, '← all runs')),
      el('h1', null, `Compare ${ids.length} run${ids.length === 1 ? '' : 's'}`),
      into,
    );
    const model = await getJson(`/api/report?${ids.map((id) => `run=${encodeURIComponent(id)}`).join('&')}`);
    if (model.problems) into.replaceChildren(problemList(model.problems));
    else renderReport(model, into);
  }

  function route() {
    leavePage();
    leavePage = () => {};
    const hash = location.hash.replace(/^#/, '');
    if (hash.startsWith('/run/')) return runPage(decodeURIComponent(hash.slice('/run/'.length)));
    if (hash.startsWith('/compare?'))
      return comparePage(new URLSearchParams(hash.slice('/compare?'.length)).getAll('run'));
    return runsPage();
  }

  const inline = document.getElementById('lpt-report');
  if (inline) {
    const model = JSON.parse(inline.textContent);
    app.replaceChildren(
      el('h1', null, model.title),
      el('p', { class: 'muted' }, `Run directories: ${model.runs.map((r) => r.dir).join(', ')}`),
    );
    const into = el('div');
    app.append(into);
    renderReport(model, into);
  } else {
    window.addEventListener('hashchange', () => void route());
    void route();
  }
})();
