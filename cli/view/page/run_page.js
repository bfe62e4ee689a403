/**
 * One run's page (#/run/ID): follows its events (server-sent events) without a reload, and shows
 * the run's report once results.json exists.
 */
(() => {
  'use strict';

  const lpt = (globalThis.lpt ??= {});
  const { el, accuracy, duration, when, getJson, problemList, statusBadge, progressText } = lpt.dom;
  const { lineChart } = lpt.charts;
  const { renderReport } = lpt.report;
  const { reduce } = lpt.runState;

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

  /** Draws run `id` into `app`; returns what closes its event stream. */
  function runPage(app, id) {
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
    return () => source.close();
  }

  lpt.runPage = runPage;
})();
